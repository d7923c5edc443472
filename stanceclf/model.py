"""StanceClassifier: TF-IDF features and logistic regression, as a scikit-learn estimator."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from stanceclf.calibration import scaled_probabilities
from stanceclf.data import frame_documents, is_frame
from stanceclf.errors import ParameterError
from stanceclf.features import Analyzer
from stanceclf.inference import Predictor
from stanceclf.params import check_params
from stanceclf.persist import FeatureBlock, ModelData, load_model_data, save_model_data
from stanceclf.sgd import SoftmaxSGD
from stanceclf.target_features import PairAnalyzer, analyzer_from_dict, pair_analyzers, uses_pair_features
from stanceclf.topics import stability_weights
from stanceclf.vectorize import TfidfBlock


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Say where a statement stands on a proposal: TF-IDF n-grams + logistic regression.

    Two TF-IDF feature blocks, each l2-normalised on its own (word n-grams with negation
    marking, and character n-grams within words), feed a multinomial logistic regression.
    The defaults were chosen by topic-grouped 5-fold cross-validation on the ``train`` split of
    ``datasets/stance.csv`` (``experiments/tune_default.py``, results in
    ``experiments/results/tune_default.md``); any label set trains.

    Parameters
    ----------
    word_ngram_range : tuple of int or None, default (1, 2)
        Word n-gram sizes, inclusive; None drops the word block.
    char_ngram_range : tuple of int or None, default (3, 6)
        Character n-gram sizes within word boundaries; None drops the character block.
    negation : bool, default True
        Prefix the words after a negation cue ("not", "never", "don't" ...) up to the next
        punctuation mark with ``NOT_``, so "not support" and "support" are different features.
    char_negation : bool, default True
        Mark negation scopes in the character block too: the character n-grams of "send" in
        "will not send" get the ``NOT_`` prefix, so a refusal does not teach the bare word its
        label.
    lowercase : bool, default True
    sublinear_tf : bool, default True
        Use ``1 + log(tf)`` instead of raw counts.
    min_df : int, default 1
        Ignore features seen in fewer statements than this.
    max_features : int or None, default None
        Keep only the most frequent features of each block.
    n_buckets : int or None, default None
        Hash each block's features into this many columns (CRC-32 of the feature) instead of
        learning a vocabulary: memory no longer grows with the vocabulary, and a model can be
        trained out of core (:func:`stanceclf.outofcore.train_out_of_core`); colliding
        features share a weight. ``min_df`` and ``max_features`` do not apply.
    C : float, default 10.0
        Inverse regularisation strength of the logistic regression.
    class_weight : "balanced" or None, default "balanced"
        Weight labels inversely to their frequency.
    max_iter : int, default 2000
        Iterations allowed to the lbfgs solver.
    solver : {"auto", "lbfgs", "sgd"}, default "auto"
        ``"lbfgs"``: scikit-learn's ``LogisticRegression``, the exact optimum (many full passes
        over the data). ``"sgd"``: :class:`stanceclf.sgd.SoftmaxSGD`, ``epochs`` passes of
        minibatch Adagrad on the same objective, much faster on large corpora and a little
        less accurate on small ones. ``"auto"``: lbfgs below 50,000 statements, sgd from there.
    epochs : int, default 2
        Passes over the data of the sgd solver.
    random_state : int, default 0
        Seed of the sgd solver's shuffling (lbfgs is deterministic without it).
    target_mode : {"none", "paired", "conjoined", "per_target"}, default "none"
        How the statement's target is used. With anything but ``"none"``, each item of ``X``
        is a ``(statement, target)`` pair. ``"paired"``: by the statement-target features below
        alone (a target never seen in training is no problem). ``"conjoined"``: one global model that sees, beside
        the shared features, a copy of every feature tied to the target (weighted by
        ``target_weight``), so a word can lean differently per target. ``"per_target"``: every
        feature and a bias are tied to the target, i.e. one logistic regression per target,
        fitted jointly with one C; a target unseen in training gets the class priors only.
    target_weight : float, default 0.5
        Weight of the target-tied feature blocks in ``"conjoined"`` mode.
    topic_shrinkage : float, default 0.0
        Shrink the features whose label association is unstable across targets by
        ``1 / (1 + topic_shrinkage * instability)`` (:func:`stanceclf.topics.stability_weights`),
        so that topic vocabulary carries less of the label. Needs the targets at fit time: each
        item of ``X`` a ``(statement, target)`` pair (with ``target_mode="none"`` the target is
        used for nothing else, and prediction takes plain statements). 0 turns it off.
    overlap_exact, overlap_stem, overlap_char : bool, default False
        Statement-target features (:mod:`stanceclf.target_features`; they need a
        ``target_mode`` other than ``"none"``): the share of the target's content words found
        in the statement as words, as stems, and as character 4-grams, each binned.
    target_mention : bool, default False
        Whether the statement mentions the whole target phrase (stemmed): not, once, often.
    mention_window : int, default 0
        Word uni- and bigrams within this many tokens of a mention of the target, the target's
        words replaced by ``<T>`` ("ban <T>"); 0 turns them off.
    pair_weight : float, default 1.0
        Weight of the statement-target feature blocks.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, sorted.
    vectorizers_ : list of (str, TfidfBlock)
        The fitted feature blocks, by name (:class:`stanceclf.vectorize.TfidfBlock`: a
        vocabulary or hashed columns, idf, and ``transform``).
    logistic_ : LogisticRegression
        The fitted classifier.
    n_features_ : int
        Number of features over all blocks.
    provenance_ : dict
        What the model was trained on and how well it did (filled by :func:`stanceclf.train`).
    calibration_ : dict or None
        The temperature (and abstention thresholds) fitted on cross-validated predictions by
        :func:`stanceclf.train` with ``calibrate=True``; None for an uncalibrated model.

    Examples
    --------
    >>> from stanceclf import StanceClassifier
    >>> texts = ["We back the plan.", "We reject the plan.", "Only if it is funded.",
    ...          "A good plan, we support it.", "A reckless plan, scrap it.", "Provided it is funded, yes."]
    >>> labels = ["support", "oppose", "conditional"] * 2
    >>> clf = StanceClassifier().fit(texts, labels)
    >>> clf.classes_.tolist()
    ['conditional', 'oppose', 'support']
    """

    def __init__(
        self,
        word_ngram_range=(1, 2),
        char_ngram_range=(3, 6),
        negation=True,
        char_negation=True,
        lowercase=True,
        sublinear_tf=True,
        min_df=1,
        max_features=None,
        n_buckets=None,
        C=10.0,
        class_weight="balanced",
        max_iter=2000,
        solver="auto",
        epochs=2,
        random_state=0,
        target_mode="none",
        target_weight=0.5,
        topic_shrinkage=0.0,
        overlap_exact=False,
        overlap_stem=False,
        overlap_char=False,
        target_mention=False,
        mention_window=0,
        pair_weight=1.0,
    ):
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.negation = negation
        self.char_negation = char_negation
        self.lowercase = lowercase
        self.sublinear_tf = sublinear_tf
        self.min_df = min_df
        self.max_features = max_features
        self.n_buckets = n_buckets
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.solver = solver
        self.epochs = epochs
        self.random_state = random_state
        self.target_mode = target_mode
        self.target_weight = target_weight
        self.topic_shrinkage = topic_shrinkage
        self.overlap_exact = overlap_exact
        self.overlap_stem = overlap_stem
        self.overlap_char = overlap_char
        self.target_mention = target_mention
        self.mention_window = mention_window
        self.pair_weight = pair_weight

    def fit(self, X, y):
        """Learn the vocabulary, idf weights and coefficients from statements ``X`` and labels ``y``.

        Parameters
        ----------
        X : iterable of str
            The statements.
        y : iterable of str (or other hashable labels)
            One label per statement; at least two distinct labels.

        Returns
        -------
        self

        Raises
        ------
        ParameterError
            If a parameter is outside :data:`stanceclf.params.PARAMETER_CONSTRAINTS` (checked
            first, whatever the solver) or two parameters cannot work together.
        """
        check_params(self.get_params())
        texts = _as_texts(X)
        if y is None:
            raise ValueError("y is required: one label per statement of X")
        if isinstance(y, str):
            raise ValueError("y must be a list of labels, not a single string")
        labels = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y if isinstance(y, np.ndarray) else list(y))
        if labels.ndim != 1:
            raise ValueError(
                f"y must hold one label per statement (one-dimensional), got shape {labels.shape}; "
                "for a column vector use y.ravel()"
            )
        if len(labels) != len(texts):
            raise ValueError(f"X has {len(texts)} statements but y has {len(labels)} labels")
        if len(np.unique(labels)) < 2:
            raise ValueError(f"y needs at least two distinct labels, got {np.unique(labels).tolist()}")
        if self.target_mode != "none" and any(isinstance(text, str) for text in texts):
            raise ValueError(f"target_mode={self.target_mode!r} needs every item of X to be a (statement, target) pair")
        if self.target_mode == "none" and uses_pair_features(self.get_params()):
            raise ParameterError("the statement-target features need the targets: set target_mode to 'paired'")
        self._check_hashing()
        shrink = self._topic_codes(texts, labels)
        self.vectorizers_, self.block_weights_, blocks = [], [], []
        for name, analyzer, weight in self._analyzers():
            vectorizer, matrix = TfidfBlock.fit(
                texts,
                analyzer,
                sublinear_tf=self.sublinear_tf,
                min_df=self.min_df,
                max_features=self.max_features,
                n_buckets=self.n_buckets,
            )
            if shrink is not None:  # the weights live in the idf, so prediction needs nothing new
                weights = stability_weights(matrix, *shrink, self.topic_shrinkage)
                vectorizer.idf_ = vectorizer.idf_ * weights
                # rows are l2-normalised tf * idf: scaling the columns and normalising again is
                # what transforming with the new idf gives, without featurising the texts twice
                matrix = normalize(sp.csr_matrix(matrix.multiply(weights)))
            self.vectorizers_.append((name, vectorizer))
            self.block_weights_.append(weight)
            blocks.append(matrix * weight if weight != 1.0 else matrix)
        if self._resolved_solver(len(texts)) == "lbfgs":
            features = sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0].tocsr()
            del blocks
            self.logistic_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
            self.logistic_.fit(features, labels)
        else:  # the blocks stay separate: no stacked copy of a possibly huge matrix
            self.logistic_ = self._fit_sgd(blocks, labels)
        self.classes_ = self.logistic_.classes_
        self.n_features_ = self.logistic_.n_features_in_
        self.provenance_ = {}
        self.calibration_ = None  # set by stanceclf.confidence.calibrate, from cross-validation
        return self

    def _topic_codes(self, texts: list, labels: np.ndarray):
        """(label codes, target codes) for ``topic_shrinkage``, or None when it is off."""
        if not self.topic_shrinkage:
            return None
        if any(isinstance(text, str) for text in texts):
            raise ValueError("topic_shrinkage needs every item of X to be a (statement, target) pair")
        label_codes = np.unique(labels, return_inverse=True)[1]
        target_codes = np.unique([target for _, target in texts], return_inverse=True)[1]
        return label_codes, target_codes

    def _check_hashing(self) -> None:
        if self.n_buckets is None:
            return
        if self.min_df != 1 or self.max_features is not None:
            raise ParameterError("min_df and max_features do not apply to hashed features (n_buckets)")

    def _resolved_solver(self, n_samples: int) -> str:
        if self.solver == "auto":
            return "sgd" if n_samples >= SGD_FROM else "lbfgs"
        return self.solver

    def _fit_sgd(self, blocks: list[sp.csr_matrix], labels: np.ndarray) -> LogisticRegression:
        """Fit with :class:`SoftmaxSGD` on the feature blocks; return a ``LogisticRegression`` holding its weights."""
        classes, codes = np.unique(labels, return_inverse=True)
        weights = None
        if self.class_weight == "balanced":
            weights = (len(codes) / (len(classes) * np.bincount(codes)))[codes]
        n_features = sum(block.shape[1] for block in blocks)
        solver = SoftmaxSGD(n_features, len(classes), C=self.C, n_samples=len(codes), seed=self.random_state)
        for _ in range(self.epochs):
            solver.partial_fit(blocks, codes, weights)
        coef, intercept = solver.coef.T, solver.intercept
        if len(classes) == 2:  # the same probabilities as one binary logistic regression
            coef, intercept = coef[1:] - coef[:1], intercept[1:] - intercept[:1]
        return self._logistic_with(classes, np.ascontiguousarray(coef), intercept)

    def _logistic_with(self, classes: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> LogisticRegression:
        """A ``LogisticRegression`` holding weights learnt elsewhere (by sgd, or read from a model file).

        scikit-learn has no public way to build a fitted estimator from weights, and fitting one
        again would not give these weights; its prediction needs only ``classes_``, ``coef_``,
        ``intercept_`` and ``n_features_in_``. Keeping scikit-learn's own ``predict_proba`` (rather
        than a copy of its formula) is what makes the estimator an independent check on the
        numpy-only :class:`~stanceclf.inference.Predictor`: ``tests/test_inference.py`` pins the two.
        """
        logistic = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        logistic.classes_ = classes
        logistic.coef_ = coef
        logistic.intercept_ = intercept
        logistic.n_features_in_ = coef.shape[1]
        return logistic

    def transform(self, X) -> sp.csr_matrix:
        """The TF-IDF feature matrix of statements ``X`` (all blocks side by side)."""
        check_is_fitted(self, "logistic_")
        texts = _as_texts(X)
        if not texts:
            return sp.csr_matrix((0, self.n_features_))
        if self.target_mode == "per_target":
            self._warn_about_unseen_targets(texts)
        blocks = [vec.transform(texts) * w for (_, vec), w in zip(self.vectorizers_, self.block_weights_)]
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0].tocsr()

    def _warn_about_unseen_targets(self, texts: list) -> None:
        """A per_target model gives a target it never saw its class priors alone: say so."""
        vectorizer = dict(self.vectorizers_).get("target_bias")
        if vectorizer is None or vectorizer.n_buckets is not None:  # a hashed block knows no targets
            return
        known = vectorizer.vocabulary_
        unseen = sorted({text[1] for text in texts if not isinstance(text, str)} - set(known))
        if unseen:
            import warnings

            warnings.warn(
                f"targets never seen in training: {', '.join(map(repr, unseen[:10]))}; this per_target model "
                "answers them with its class priors alone (the same label for every statement)",
                UserWarning,
                stacklevel=3,
            )

    def decision_function(self, X) -> np.ndarray:
        features = self.transform(X)
        if features.shape[0] == 0:  # scikit-learn refuses empty input; no statements, no scores
            return np.empty((0,) if len(self.classes_) == 2 else (0, len(self.classes_)))
        return self.logistic_.decision_function(features)

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each label for each statement, columns in the order of ``classes_``.

        A calibrated model (``calibration_``, see :mod:`stanceclf.calibration`) divides the
        decision values by its temperature first; the most probable label stays the same.
        """
        features = self.transform(X)
        if features.shape[0] == 0:
            return np.empty((0, len(self.classes_)))
        temperature = (getattr(self, "calibration_", None) or {}).get("temperature", 1.0)
        if temperature != 1.0:
            return scaled_probabilities(self.logistic_.decision_function(features), temperature)
        return self.logistic_.predict_proba(features)

    def predict(self, X) -> np.ndarray:
        """The most probable label of each statement."""
        features = self.transform(X)
        if features.shape[0] == 0:
            return self.classes_[:0].copy()
        return self.logistic_.predict(features)

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        """The features of ``text`` that pushed each label most, with their contributions.

        Returns a dict ``{label: [(feature, contribution), ...]}``, at most ``top`` features per
        label, largest first; a feature is named ``word:<n-gram>`` or ``char:<n-gram>``.
        """
        check_is_fitted(self, "logistic_")
        return Predictor(self.to_model_data()).explain(text, top=top)

    def explain_decision(self, text, top: int = 5) -> dict:
        """Every label's score for ``text`` and why the predicted label beat the runner-up.

        See :meth:`stanceclf.inference.Predictor.explain_decision`; the parts (intercepts,
        listed features, other features) add up to the margin between the two labels.
        """
        check_is_fitted(self, "logistic_")
        return Predictor(self.to_model_data()).explain_decision(text, top=top)

    def to_model_data(self) -> ModelData:
        """The fitted model as plain data (what :meth:`save` writes)."""
        check_is_fitted(self, "logistic_")
        blocks = []
        for (name, vec), weight in zip(self.vectorizers_, self.block_weights_):
            analyzer = vec.analyzer.to_dict()
            features = list(vec.features)
            idf = vec.idf_.copy()
            blocks.append(
                FeatureBlock(name, analyzer, bool(vec.sublinear_tf), features, idf, float(weight), vec.n_buckets)
            )
        return ModelData(
            params=_plain(self.get_params()),
            classes=[str(c) for c in self.classes_],
            blocks=blocks,
            coef=self.logistic_.coef_.astype(np.float64),
            intercept=self.logistic_.intercept_.astype(np.float64),
            metadata=dict(getattr(self, "provenance_", {})),
            calibration=getattr(self, "calibration_", None),
        )

    def save(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the model to a pickle-free file (atomically; ``force`` to replace a file)."""
        from stanceclf.persist import creation_time
        from stanceclf.versions import library_versions

        data = self.to_model_data()
        data.metadata = {**data.metadata, "created": creation_time(), "versions": library_versions()}
        return save_model_data(data, path, force=force)

    @classmethod
    def load(cls, path: str | Path) -> StanceClassifier:
        """Rebuild a fitted classifier from a model file written by :meth:`save`."""
        return cls.from_model_data(load_model_data(path))

    @classmethod
    def from_model_data(cls, data: ModelData) -> StanceClassifier:
        """Rebuild a fitted classifier from :class:`~stanceclf.persist.ModelData`."""
        params = {key: tuple(value) if isinstance(value, list) else value for key, value in data.params.items()}
        known = cls._get_param_names()
        model = cls(**{key: value for key, value in params.items() if key in known})
        model.vectorizers_ = []
        model.block_weights_ = [block.weight for block in data.blocks]
        for block in data.blocks:
            analyzer = analyzer_from_dict(block.analyzer)
            vec = TfidfBlock(analyzer, block.features, block.idf, block.sublinear_tf, block.n_buckets)
            model.vectorizers_.append((block.name, vec))
        logistic = model._logistic_with(np.array(data.classes, dtype=object), data.coef, data.intercept)
        model.logistic_ = logistic
        model.classes_ = logistic.classes_
        model.n_features_ = data.n_features
        model.provenance_ = dict(data.metadata)
        model.calibration_ = data.calibration
        return model

    def _analyzers(self) -> list[tuple[str, Analyzer | PairAnalyzer, float]]:
        """The feature blocks as (name, analyzer, weight), following ``target_mode``."""
        base: list[tuple[str, str, tuple[int, int], bool]] = []
        if self.word_ngram_range is not None:
            low, high = self.word_ngram_range
            base.append(("word", "word", (int(low), int(high)), bool(self.negation)))
        if self.char_ngram_range is not None:
            low, high = self.char_ngram_range
            base.append(("char", "char", (int(low), int(high)), bool(self.char_negation)))
        if not base:
            raise ParameterError(
                "word_ngram_range and char_ngram_range cannot both be None (--word-ngrams and --char-ngrams "
                "cannot both be 'none'): the model would have no features"
            )
        shared = [
            (name, Analyzer(kind, ngram, bool(self.lowercase), negation), 1.0) for name, kind, ngram, negation in base
        ]
        tied = [
            (f"{name}_target", Analyzer(kind, ngram, bool(self.lowercase), negation, conjoin=True), 1.0)
            for name, kind, ngram, negation in base
        ]
        pairs = pair_analyzers(self.get_params())
        if self.target_mode in ("none", "paired"):
            return [*shared, *pairs]
        if self.target_mode == "conjoined":
            return [*shared, *((name, analyzer, float(self.target_weight)) for name, analyzer, _ in tied), *pairs]
        return [*tied, ("target_bias", Analyzer("target"), 1.0), *pairs]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


SGD_FROM = 50_000  # statements from which solver="auto" picks sgd


def _as_texts(X) -> list:
    """Check that ``X`` holds statements or (statement, target) pairs and return it as a list.

    A DataFrame is read by columns, never iterated (which would give its column names): one
    column holds statements, two hold (statement, target) pairs.
    """
    if is_frame(X):
        X = frame_documents(X)
    if isinstance(X, str):
        raise ValueError("X must be a list of statements, not a single string (wrap it: [text])")
    if isinstance(X, np.ndarray) and X.ndim != 1:
        raise ValueError(f"X must be one-dimensional (one statement per row), got shape {X.shape}")
    texts = list(X) if isinstance(X, Iterable) else None
    if texts is None:
        raise ValueError(f"X must be an iterable of strings, got {type(X).__name__}")
    for i, text in enumerate(texts):
        if isinstance(text, str):
            continue
        if isinstance(text, tuple | list) and len(text) == 2 and all(isinstance(part, str) for part in text):
            if "\n" in text[1]:
                raise ValueError(f"X[{i}] has a target containing a line break")
            texts[i] = tuple(text)
            continue
        raise ValueError(f"X[{i}] is {type(text).__name__}, expected str or a (statement, target) pair")
    return texts


def _plain(params: dict) -> dict:
    """Parameters as JSON-friendly values (tuples become lists, numpy scalars Python numbers)."""

    def plain(value):
        if isinstance(value, tuple | list):
            return [plain(part) for part in value]
        return value.item() if isinstance(value, np.generic) else value

    return {key: plain(value) for key, value in params.items()}


def default_model() -> StanceClassifier:
    """The model shipped with stanceclf, trained on ``datasets/stance.csv``.

    Examples
    --------
    >>> from stanceclf import default_model
    >>> default_model().predict(["Rome will not send troops to Ukraine."]).tolist()  # doctest: +SKIP
    ['oppose']
    """
    from stanceclf.persist import default_model_path

    return StanceClassifier.load(default_model_path())
