# rules of tests/
