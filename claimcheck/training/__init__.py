"""Building the learned judge: the data, the training recipe and the verdict policy's fit.

- `run.run`: data → train → evaluate → calibrate → adapt (`--no-adapt` skips it) → export
  (`make train-judge`, `python -m claimcheck.training`)
- `pairgen.generate`: news-domain pairs from real sentences (negation, numbers, roles, ...)
- `calibrate.calibrate`: the verdict policy fitted on consulted labelled news the classifier
  never trained on, with cross-fold figures
- `adapt.adapt`: the classifier fine-tuned on that labelled news, cross-fitted, kept only if it
  does better across folds

This room sits above the checker: it ingests, checks and evaluates to fit the policy. Nothing
in the product imports it; torch and scikit-learn load only while a model is being built.
"""
