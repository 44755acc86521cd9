"""Fine-tuning the embedding model on the suite's dev questions (issue 32): the training data (`pairs`), the
retrieval measure the settings are chosen by (`retrieval`) and the training runs (`train`). See README.md."""
