"""Building the learned judge: the data, the training recipe and the verdict policy's fit.

- `recipe.run`: data → train → evaluate → export → calibrate (`make train-judge`,
  `python -m claimcheck.training`)
- `pairgen.generate`: news-domain pairs from real sentences (negation, numbers, roles, ...)
- `calibrate.fit_policy`: the verdict policy fitted on the tuning split

This room sits above the checker: it ingests, checks and evaluates to fit the policy. Nothing
in the product imports it; torch and scikit-learn load only while a model is being built.
"""
