"""Exercises with instant feedback: the learner answers, a check says right or gives a hint.

One module per exercise notebook in ``exercises/`` (solutions for trainers in
``exercises/solutions/``, from which the blank notebooks are made by ``blanks``):

* ``why_customers_leave`` — Griffin's reasons, tenure = 1/churn, SLTV classes (seeds 000, 003);
* ``customer_base`` — RFM, life-cycle stages and segments on the real CDNOW log (seed 004);
* ``winback_program`` — a programme of the eight rules under a budget; reading a pilot (000);
* ``loyalty_and_price_war`` — tactics by their return; answering a price cut (000-004);
* ``what_a_customer_is_worth`` — win-back against new, word of mouth, acquisition cost and
  payback, how loyalty forms (000, 002, 004).

Presentation layer: the checks run the same engine and experiments as the labs.
"""
