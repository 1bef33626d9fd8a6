"""For every test, the notebooks' included: texts in English unless a test asks for another
language (the assertions quote the English catalog; a Chinese machine must pass them too)."""

import os

os.environ["RETENTION_LAB_LANG"] = "en"
