"""A run over many files: the result cache, the process pool, progress, the run record's keys."""
