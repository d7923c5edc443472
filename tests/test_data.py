"""Reading labelled and unlabelled files, and every way a file can be wrong."""

from __future__ import annotations

import json

import pytest

from samples import STATEMENTS
from stanceclf.data import iter_texts, load_dataset
from stanceclf.errors import DataError


def test_csv_is_read_with_texts_labels_and_targets(labelled_csv):
    data = load_dataset(labelled_csv)
    assert data.texts == [s[0] for s in STATEMENTS]
    assert data.labels == [s[1] for s in STATEMENTS]
    assert data.targets == [s[2] for s in STATEMENTS]
    assert data.lines[0] == 2
    assert data.label_counts == {"conditional": 8, "oppose": 8, "support": 8}


def test_tsv_is_read_by_its_extension(tmp_path, write_csv):
    path = write_csv(tmp_path / "labels.tsv", STATEMENTS, delimiter="\t")
    assert load_dataset(path).texts[3] == STATEMENTS[3][0]


def test_jsonl_is_read_with_configurable_keys(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps({"body": t, "stance": y}) + "\n" for t, y, _ in STATEMENTS), encoding="utf-8")
    data = load_dataset(path, text_column="body", label_column="stance")
    assert data.labels == [s[1] for s in STATEMENTS]
    assert data.targets is None


def test_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbftext,label\r\nWe back it.,support\r\nWe reject it.,oppose\r\n")
    data = load_dataset(path)
    assert data.texts == ["We back it.", "We reject it."]


def test_lone_carriage_returns_end_lines(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"text,label\rWe back it.,support\rWe reject it.,oppose\r")
    data = load_dataset(path)
    assert data.labels == ["support", "oppose"]
    assert data.lines == [2, 3]


def test_quoted_newline_stays_inside_the_statement_and_lines_point_at_its_start(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('text,label\n"We back it,\nwholeheartedly.",support\nNo way.,oppose\n', encoding="utf-8")
    data = load_dataset(path)
    assert data.texts[0] == "We back it,\nwholeheartedly."
    assert data.lines == [2, 4]


def test_sha256_identifies_the_file_content(labelled_csv, tmp_path, write_csv):
    other = write_csv(tmp_path / "other.csv", STATEMENTS[:-1])
    assert load_dataset(labelled_csv).sha256 != load_dataset(other).sha256
    assert len(load_dataset(labelled_csv).sha256) == 64


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"text,label\nWe back it.,support\n,oppose\n", "bad.csv:3: empty text"),
        (b"text,label\nWe back it.,support\n   ,oppose\n", "bad.csv:3: empty text"),
        (b"text,label\nWe back it.,support\nWe reject it.,\n", "bad.csv:3: missing label"),
        (b"text,stance\nWe back it.,support\n", "bad.csv:1: no column 'label'"),
        (b"text,label\nWe back it.,support\nWe back it again.,support\n", "only one label"),
        (
            b"text,label\nWe back it.,support\nNo.,oppose\nWe back it.,oppose\n",
            "bad.csv:4: this text was labelled 'support' on line 2",
        ),
        (b"text,label\nWe back it.,support\nWe \xff it.,oppose\n", "bad.csv:3: not valid UTF-8"),
        (b"", "empty file"),
        (b"text,label\n", "no statements"),
        (b'text,label\nWe back it.,support\n"unclosed,oppose\n', "bad.csv:3: malformed CSV"),
        (b"text,label\nWe back it.,support\nNo,oppose,extra\n", "bad.csv:3: expected 2 fields"),
        (b"text;label\nWe back it.;support\n", "bad.csv:1: no column 'text'"),
    ],
)
def test_bad_labelled_file_gives_one_line_naming_file_line_and_problem(tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r"nowhere\.csv: no such file"):
        load_dataset(tmp_path / "nowhere.csv")


def test_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "labels.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(DataError, match="cannot tell the format"):
        load_dataset(path)


def test_named_target_column_must_exist(labelled_csv):
    with pytest.raises(DataError, match="no column 'topic'"):
        load_dataset(labelled_csv, target_column="topic")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("{not json", "bad.jsonl:2: invalid JSON"),
        ('["a list"]', "bad.jsonl:2: expected a JSON object"),
        ('{"text": "x"}', "bad.jsonl:2: no key 'label'"),
        ('{"text": ["x"], "label": "support"}', "bad.jsonl:2: key 'text' holds list"),
    ],
)
def test_bad_jsonl_record_is_located(tmp_path, line, expected):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "We back it.", "label": "support"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    assert expected in str(caught.value)


def test_txt_input_yields_one_row_per_line_including_blank_ones(tmp_path):
    path = tmp_path / "posts.txt"
    path.write_text("We back it.\n\n=cmd|' /C calc'!A0\nNo.\n", encoding="utf-8")
    assert list(iter_texts(path)) == [(1, "We back it."), (2, ""), (3, "=cmd|' /C calc'!A0"), (4, "No.")]


def test_csv_input_for_prediction_keeps_empty_texts(tmp_path, write_csv):
    path = write_csv(tmp_path / "posts.csv", [("We back it.",), ("",)], header=("text",))
    assert [text for _, text in iter_texts(path)] == ["We back it.", ""]


def test_txt_file_cannot_be_training_data(tmp_path):
    path = tmp_path / "posts.txt"
    path.write_text("We back it.\n", encoding="utf-8")
    with pytest.raises(DataError, match="has no labels"):
        load_dataset(path)


def test_a_dataframe_is_read_like_a_file_with_rows_numbered_from_one():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(STATEMENTS, columns=["text", "label", "target"])
    data = load_dataset(frame)
    assert data.texts == [s[0] for s in STATEMENTS] and data.targets == [s[2] for s in STATEMENTS]
    frame.loc[2, "text"] = None
    with pytest.raises(DataError, match=r"^<DataFrame>:3: empty text"):
        load_dataset(frame)


def test_labels_differing_only_in_case_are_refused_unless_folded(tmp_path, write_csv):
    path = write_csv(
        tmp_path / "case.csv",
        [("We back it.", "support"), ("Yes!", "Support"), ("No.", "oppose")],
        header=("text", "label"),
    )
    with pytest.raises(DataError, match=r"'support' \(line 2\) and 'Support' \(line 3\) differ only in case"):
        load_dataset(path)
    assert load_dataset(path, fold_case=True).label_counts == {"oppose": 1, "support": 2}


def test_label_map_renames_labels_as_they_are_read(tmp_path, write_csv):
    path = write_csv(
        tmp_path / "semeval.csv", [("Yes.", "FAVOR"), ("No.", "AGAINST"), ("Hm.", "NONE")], header=("text", "label")
    )
    data = load_dataset(path, label_map={"FAVOR": "support", "AGAINST": "oppose"})
    assert data.labels == ["support", "oppose", "NONE"]


def test_a_column_named_twice_in_the_header_is_refused(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("text,label,text\nWe back it.,support,other\nNo.,oppose,other\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"twice.csv:1: column 'text' appears twice in the header \(columns 1 and 3\)"):
        load_dataset(path)


def test_a_missing_file_without_extension_is_called_missing(tmp_path):
    with pytest.raises(DataError, match=r"labels: no such file$"):
        load_dataset(tmp_path / "labels")


def test_a_split_the_file_lacks_is_named_with_the_splits_present(tmp_path, write_csv):
    rows = [(text, label, "train" if i % 2 else "test") for i, (text, label, _) in enumerate(STATEMENTS)]
    path = write_csv(tmp_path / "split.csv", rows, header=("text", "label", "split"))
    with pytest.raises(DataError, match=r"no statements in split 'dev' \(splits present: test, train\)"):
        load_dataset(path, split="dev")


def test_a_null_jsonl_text_is_called_null_not_missing(tmp_path):
    path = tmp_path / "null.jsonl"
    path.write_text('{"text": "Yes.", "label": "support"}\n{"text": null, "label": "oppose"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"null.jsonl:2: key 'text' is null"):
        load_dataset(path)


def test_a_dataset_repr_is_one_short_line(labelled_csv):
    text = repr(load_dataset(labelled_csv))
    assert len(text) < 200 and "24 statements" in text and "\n" not in text


SPREADSHEET_EXPORT = b"text;label\nCaf\xe9 owners back the plan.;support\nNo caf\xe9, no plan.;oppose\n"


def test_semicolons_and_cp1252_from_spreadsheets_are_read_when_named(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(SPREADSHEET_EXPORT)
    data = load_dataset(path, delimiter=";", encoding="cp1252")
    assert data.texts == ["Caf\u00e9 owners back the plan.", "No caf\u00e9, no plan."]


@pytest.mark.parametrize(
    "options, fragment",
    [
        ({}, "no column 'text' in the header (found 'text;label'); the columns seem to be separated by ';'"),
        (
            {"delimiter": ";"},
            "export.csv:2: not valid UTF-8 (byte 0xe9 at column 4); from a spreadsheet? try --encoding",
        ),
        ({"delimiter": ";", "encoding": "klingon"}, "unknown encoding 'klingon'"),
    ],
)
def test_a_wrong_delimiter_or_encoding_is_named_with_the_fix(tmp_path, options, fragment):
    path = tmp_path / "export.csv"
    path.write_bytes(SPREADSHEET_EXPORT)
    with pytest.raises(DataError) as error:
        load_dataset(path, **options)
    assert fragment in str(error.value)
