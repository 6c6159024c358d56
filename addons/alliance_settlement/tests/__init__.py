from . import test_accounting, test_amount_words, test_documents, test_statement
from . import test_trust
