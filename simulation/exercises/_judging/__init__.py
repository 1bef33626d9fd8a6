"""The judging behind the exercise checks: the expected values, how they are computed, the
reasons behind each hint. Kept out of the modules the notebooks import
(``simulation.exercises.<exercise>``), which expose only the checks, ``progress()`` and the data
a learner works with: ``dir(ex)`` and tab completion show nothing that is an answer.

This does not resist a determined reader (the source is open); it does not hand the answer to a
curious one.
"""
