from . import test_amount_words
