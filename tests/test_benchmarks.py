"""Readers for public benchmark layouts, tested on small files in the same layouts."""

from __future__ import annotations

import pytest

from stanceclf.benchmarks import load_semeval2016, load_tweeteval
from stanceclf.data import load_dataset
from stanceclf.errors import DataError


@pytest.fixture
def tweeteval(tmp_path):
    root = tmp_path / "stance"
    root.mkdir()
    (root / "mapping.txt").write_text("0\tnone\n1\tagainst\n2\tfavor", encoding="utf-8")
    for target, tweets, labels in [
        ("climate", ["We must act now #climate", "Hoax. #SemST", "Nice weather"], ["2", "1", "0"]),
        ("atheism", ["God is great", "No gods, no masters"], ["1", "2"]),
    ]:
        (root / target).mkdir()
        for split in ("train", "test"):
            (root / target / f"{split}_text.txt").write_text("\n".join(tweets) + "\n", encoding="utf-8")
            (root / target / f"{split}_labels.txt").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return root


def test_tweeteval_folder_yields_texts_labels_and_targets(tweeteval):
    data = load_tweeteval(tweeteval, "train")
    assert data.texts == [
        "God is great",
        "No gods, no masters",
        "We must act now #climate",
        "Hoax. #SemST",
        "Nice weather",
    ]
    assert data.labels == ["against", "favor", "favor", "against", "none"]
    assert data.targets == ["atheism", "atheism", "climate", "climate", "climate"]


def test_load_dataset_recognises_a_tweeteval_folder_and_joins_splits(tweeteval):
    assert len(load_dataset(tweeteval, split="train+test")) == 10


def test_tweeteval_misaligned_files_are_reported(tweeteval):
    (tweeteval / "climate" / "train_labels.txt").write_text("2\n1\n", encoding="utf-8")
    with pytest.raises(DataError, match="2 labels for 3 tweets"):
        load_tweeteval(tweeteval)


def test_tweeteval_unknown_label_id_is_located(tweeteval):
    (tweeteval / "atheism" / "train_labels.txt").write_text("1\n7\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"train_labels.txt:2: label id '7'"):
        load_tweeteval(tweeteval)


def test_semeval_file_is_read_as_latin1_with_crlf(tmp_path):
    path = tmp_path / "train.txt"
    rows = [
        "ID\tTarget\tTweet\tStance\tOpinion towards\tSentiment",
        '1\tAtheism\tPraise be "to" God #SemST\tAGAINST\tTARGET\tPOSITIVE',
        "2\tAtheism\tReason wins \xcd\xa2 #SemST\tFAVOR\tTARGET\tPOSITIVE",
    ]
    path.write_bytes("\r\n".join(rows).encode("latin-1") + b"\r\n")
    data = load_dataset(path)
    assert data.labels == ["AGAINST", "FAVOR"]
    assert data.texts[0] == 'Praise be "to" God #SemST'
    assert data.texts[1].startswith("Reason wins \xcd")
    assert data.targets == ["Atheism", "Atheism"]


def test_semeval_files_concatenate(tmp_path):
    header = "ID\tTarget\tTweet\tStance\n"
    (tmp_path / "a.txt").write_text(header + "1\tT\tyes\tFAVOR\n", encoding="latin-1")
    (tmp_path / "b.txt").write_text(header + "2\tT\tno\tAGAINST\n", encoding="latin-1")
    assert load_semeval2016(tmp_path / "a.txt", tmp_path / "b.txt").labels == ["FAVOR", "AGAINST"]
