"""Learning from labels: training the text model, the task heads and fusion, remembering a failed
training, evaluation on a labelled CSV (text alone and with images), honest splits and bootstrap
intervals, whether fusion helps, active learning and the labelling queue, and learning curves.

What is learned is saved as a versioned artifact (``sift/models/artifact.py``) that the stages
load; nothing here runs during ``wildsift sift``."""
