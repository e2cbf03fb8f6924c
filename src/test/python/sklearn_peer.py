"""The scikit-learn peer of PeerBenchmark (docs/benchmarks.md, "Runway's defaults against tuned scikit-learn").

Reads the rows Runway trained on, as the benchmark wrote them (the same split, already cleaned and encoded by
Runway's preparation: imputed, standardised, one-hot; text as Runway's word tokens), tunes each family by a small
GridSearchCV on the training and validation rows together (5 folds, stratified when classifying, one thread), refits
the best on them, and measures it on the test rows. It also fits the family's untuned scikit-learn default on the
same rows. On a two-class table with a rare class, one more family weighs the classes and is tuned for balanced
accuracy, as Runway's class weights mean to. Prints one JSON object per family.

usage: sklearn_peer.py DIR      (DIR holds meta.json and the splits)
"""
import json
import os
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, mean_squared_error, r2_score)
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline

warnings.filterwarnings("ignore", category=ConvergenceWarning)

HIDDEN = [(64,), (128,)]
ALPHAS = [1e-4, 1e-2, 1.0]


def family(name, classification):
    """The estimator (untuned: its defaults), its grid and what the search scores, per family."""
    scoring = "accuracy" if classification else "neg_mean_squared_error"
    if name == "logistic":
        return LogisticRegression(max_iter=5000), {"C": [0.01, 0.1, 1, 10, 100]}, scoring
    if name == "logistic_balanced":
        # Classes weighted inversely to their frequency, tuned for the mean recall over the classes.
        return (LogisticRegression(max_iter=5000, class_weight="balanced"), {"C": [0.01, 0.1, 1, 10, 100]},
                "balanced_accuracy")
    if name == "linear":
        return Ridge(), {"alpha": [0.001, 0.01, 0.1, 1, 10, 100]}, scoring
    if name == "mlp" and classification:
        return MLPClassifier(max_iter=500, random_state=0), {"hidden_layer_sizes": HIDDEN, "alpha": ALPHAS}, scoring
    if name == "mlp":
        return MLPRegressor(max_iter=1000, random_state=0), {"hidden_layer_sizes": HIDDEN, "alpha": ALPHAS}, scoring
    raise ValueError(name)


def read(folder, meta, split):
    rows, width = meta["shapes"][split]
    y = np.fromfile(os.path.join(folder, split + ".y"), dtype=">f4").astype(np.float64)
    if meta["text"]:
        with open(os.path.join(folder, split + ".txt"), encoding="utf-8") as f:
            x = [line.rstrip("\n") for line in f]
    else:
        x = np.fromfile(os.path.join(folder, split + ".x"), dtype=">f4").astype(np.float64).reshape(rows, width)
    return x, y


def join(a, b):
    return a + b if isinstance(a, list) else np.vstack([a, b])


def measure(model, x, y, classification, classes):
    predicted = model.predict(x)
    if not classification:
        return {"mse": mean_squared_error(y, predicted), "r2": r2_score(y, predicted)}
    out = {"accuracy": accuracy_score(y, predicted), "balanced_accuracy": balanced_accuracy_score(y, predicted)}
    if classes == 2:
        out["f1"] = f1_score(y, predicted, pos_label=1)
    return out


def main(folder):
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    classification = meta["task"] != "regression"
    x_train, y_train = read(folder, meta, "train")
    x_validation, y_validation = read(folder, meta, "validation")
    x_test, y_test = read(folder, meta, "test")
    x_fit, y_fit = join(x_train, x_validation), np.concatenate([y_train, y_validation])
    if classification:
        y_fit, y_test = y_fit.astype(int), y_test.astype(int)
    folds = (StratifiedKFold if classification else KFold)(n_splits=5, shuffle=True, random_state=0)
    for name in meta["families"]:
        estimator, grid, scoring = family(name, classification)
        if meta["text"]:
            # Runway's tokens joined by spaces: the vocabulary is learnt inside each fold, a word present or not.
            estimator = make_pipeline(CountVectorizer(binary=True, tokenizer=str.split, token_pattern=None,
                                                      lowercase=False), estimator)
            step = estimator.steps[-1][0]
            grid = {step + "__" + k: v for k, v in grid.items()}
        start = time.perf_counter()
        default = estimator.fit(x_fit, y_fit)
        default_seconds = time.perf_counter() - start
        default_scores = measure(default, x_test, y_test, classification, meta["classes"])
        start = time.perf_counter()
        search = GridSearchCV(estimator, grid, scoring=scoring, cv=folds, n_jobs=1).fit(x_fit, y_fit)
        seconds = time.perf_counter() - start
        result = {"family": name, "model": type(search.best_estimator_[-1] if meta["text"]
                                                else search.best_estimator_).__name__,
                  "best": {k.split("__")[-1]: v for k, v in search.best_params_.items()},
                  "seconds": seconds, "candidates": len(search.cv_results_["params"]),
                  "default": default_scores, "default_seconds": default_seconds}
        result.update(measure(search.best_estimator_, x_test, y_test, classification, meta["classes"]))
        print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
