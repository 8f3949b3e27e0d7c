"""Importing bulletins: from the files operators have (text, PDF, Word, web pages) to parsed issues."""
