"""A file's text: reading and decoding it (`source`), its tokens (`lexer`, `packed`), its identity on disk (`disk`)."""
