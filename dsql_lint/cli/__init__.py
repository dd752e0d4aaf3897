"""The command line: the only package that reads argv, prints or exits."""
