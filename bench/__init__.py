"""The benchmark (`make bench`): build a large database, load the pages, write bench/results.md."""
