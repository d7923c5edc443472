"""Readers for public benchmark layouts, tested on small files in the same layouts."""

from __future__ import annotations

import pytest

from stanceclf.benchmarks import load_emergent, load_semeval2016, load_tweeteval, load_vast
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


EMERGENT_HEADER = ",claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\n"
VAST_HEADER = "author,post,topic_str,label,seen?,type_idx\n"


def test_emergent_file_yields_headlines_against_claims_grouped_by_claim(tmp_path):
    path = tmp_path / "emergent.csv"
    path.write_text(
        EMERGENT_HEADER
        + '0,Cats can fly,"Cat seen flying, say witnesses",observing,a1,c1\n'
        + "1,Cats can fly,Flying cat is a hoax,against,a2,c1\n"
        + "2,Dogs can talk,Talking dog stuns vets,for,a3,c2\n",
        encoding="utf-8",
    )
    data = load_emergent(path)
    assert data.texts[0] == "Cat seen flying, say witnesses"
    assert data.labels == ["observing", "against", "for"]
    assert data.targets == ["Cats can fly", "Cats can fly", "Dogs can talk"]
    assert data.groups == ["c1", "c1", "c2"] and data.lines == [2, 3, 4]


@pytest.mark.parametrize(
    "row, problem",
    [
        ("1,Cats can fly,Flying cat,maybe,a2,c1\n", "3: unknown stance 'maybe'"),
        ("1,Cats can fly,,for,a2,c1\n", "3: empty headline"),
        ("1,Cats can fly,Flying cat,for,a2,\n", "3: empty claim id"),
        ("1,Cats can fly,Flying cat,for\n", "3: expected 6 fields, found 4"),
    ],
)
def test_emergent_bad_row_is_located(tmp_path, row, problem):
    path = tmp_path / "emergent.csv"
    path.write_text(EMERGENT_HEADER + "0,Cats can fly,Cat flies,for,a1,c1\n" + row, encoding="utf-8")
    with pytest.raises(DataError, match=f"emergent.csv:{problem}"):
        load_emergent(path)


def test_vast_official_file_marks_zero_and_few_shot_rows_by_its_seen_column(tmp_path):
    path = tmp_path / "vast_test.csv"
    path.write_text(
        VAST_HEADER + 'x,"Nuclear power is clean,\nand safe.",nuclear power,1,0,1\n' + "y,Taxes are theft.,tax,0,1,1\n",
        encoding="utf-8",
    )
    data = load_vast(path)
    assert data.labels == ["pro", "con"] and data.targets == ["nuclear power", "tax"]
    assert data.groups == data.targets and data.subsets == ["zero-shot", "few-shot"]
    assert data.lines == [2, 4]


def test_vast_normalised_file_has_no_subsets(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text("text,label,target\nTaxes are theft.,con,tax\n", encoding="utf-8")
    data = load_vast(path)
    assert data.labels == ["con"] and data.subsets is None and data.groups == ["tax"]


@pytest.mark.parametrize(
    "row, problem",
    [
        ("y,Taxes are theft.,tax,3,1,1\n", "3: unknown label '3'"),
        ("y,Taxes are theft.,tax,0,2,1\n", "3: 'seen\\?' must be 0 or 1"),
        ("y,Taxes are theft.,,0,1,1\n", "3: empty topic"),
    ],
)
def test_vast_bad_row_is_located(tmp_path, row, problem):
    path = tmp_path / "vast_test.csv"
    path.write_text(VAST_HEADER + "x,Tax is fine.,tax,1,1,1\n" + row, encoding="utf-8")
    with pytest.raises(DataError, match=f"vast_test.csv:{problem}"):
        load_vast(path)


def test_a_benchmark_file_without_a_needed_column_is_named(tmp_path):
    path = tmp_path / "vast_test.csv"
    path.write_text("post,topic_str,label\nTax is fine.,tax,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="vast_test.csv:1: missing column 'seen\\?'"):
        load_vast(path)


def test_a_benchmark_folder_needs_a_split(tmp_path):
    with pytest.raises(DataError, match="needs a split"):
        load_emergent(tmp_path)
