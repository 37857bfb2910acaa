"""Reading an uploaded people file: encodings, separators, headers, and files that cannot be used."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from organizations.importing import PeopleFileError, parse_people_file, parse_people_text, role_from_text
from organizations.models import Role

HEADER = "email,first_name,last_name,job_title,team,manager_email,role"

pytestmark = pytest.mark.usefixtures("english")


def test_a_utf8_file_with_a_bom_and_commas_is_read():
    raw = ("\ufeff" + HEADER + "\r\njan@example.org,Jan,Jansen,Adviseur,Sales,,employee\r\n").encode("utf-8")
    parsed = parse_people_file(raw)
    assert parsed.delimiter == ","
    assert parsed.encoding == "utf-8"
    assert parsed.columns == ("email", "first_name", "last_name", "job_title", "team", "manager_email", "role")
    assert parsed.rows[0].values["email"] == "jan@example.org"  # no BOM stuck to the first column
    assert parsed.rows[0].line == 2


def test_a_semicolon_file_as_dutch_excel_writes_it_is_read():
    raw = b"email;first_name;last_name\njan@example.org;Jan;de Vries, jr.\n"
    parsed = parse_people_file(raw)
    assert parsed.delimiter == ";"
    assert parsed.rows[0].values == {"email": "jan@example.org", "first_name": "Jan", "last_name": "de Vries, jr."}


def test_a_windows_1252_file_from_excel_is_read():
    raw = "email;first_name;last_name\nrene@example.org;René;Müller-Ørsted\n".encode("cp1252")
    parsed = parse_people_file(raw)
    assert parsed.encoding == "cp1252"
    assert parsed.rows[0].values["first_name"] == "René"
    assert parsed.rows[0].values["last_name"] == "Müller-Ørsted"


def test_excels_sep_line_names_the_separator():
    parsed = parse_people_file(b"sep=;\nemail;first_name\njan@example.org;Jan, de eerste\n")
    assert parsed.delimiter == ";"
    assert parsed.rows[0].values["first_name"] == "Jan, de eerste"
    assert parsed.rows[0].line == 3


def test_header_names_ignore_case_and_surrounding_spaces():
    parsed = parse_people_file(b" EMAIL , First Name ,Job-Title\njan@example.org,Jan,Adviseur\n")
    assert parsed.columns == ("email", "first_name", "job_title")
    assert parsed.rows[0].values["job_title"] == "Adviseur"


def test_unknown_columns_are_ignored_with_a_notice():
    parsed = parse_people_file(b"email,first_name,salary,,\njan@example.org,Jan,5000,,\n")
    assert "salary" not in parsed.rows[0].values
    assert parsed.notices == ["These columns are not used and were ignored: salary."]


def test_blank_lines_are_skipped_and_lines_keep_their_numbers():
    text = 'email;first_name;job_title\n\njan@example.org;Jan;"Adviseur\nbuitendienst"\n;;\n\npiet@example.org;Piet;\n'
    parsed = parse_people_text(text)
    assert [(row.line, row.values["email"]) for row in parsed.rows] == [
        (3, "jan@example.org"),
        (7, "piet@example.org"),
    ]
    assert parsed.rows[0].values["job_title"] == "Adviseur\nbuitendienst"


def test_a_missing_required_column_is_named():
    with pytest.raises(PeopleFileError) as error:
        parse_people_file(b"mail;voornaam\njan@example.org;Jan\n")
    message = error.value.messages[0]
    assert "email, first_name" in message
    assert "mail, voornaam" in message


def test_a_file_without_a_first_name_column_is_refused():
    with pytest.raises(PeopleFileError, match="first_name"):
        parse_people_file(b"email,last_name\njan@example.org,Jansen\n")


def test_a_column_named_twice_is_refused():
    with pytest.raises(PeopleFileError, match="appears twice"):
        parse_people_file(b"email,first_name,Email\njan@example.org,Jan,x\n")


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00",  # an .xlsx workbook
        "email,first_name\n".encode("utf-16"),
        b"email,first_name\njan@example.org,Jan\x07\n",
        b"email,first_name\n\x81\x8d\x8f\x90\x9d",  # not UTF-8, and undefined in Windows-1252
    ],
)
def test_a_binary_file_is_refused_as_not_text(raw):
    with pytest.raises(PeopleFileError) as error:
        parse_people_file(raw)
    assert error.value.code == "not_text"
    assert "not a CSV text file" in error.value.messages[0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 1024 * 1024
    raw = b"email,first_name\n" + b"jan@example.org,Jan\n" * 60_000
    with pytest.raises(PeopleFileError) as error:
        parse_people_file(raw)
    assert error.value.code == "too_large"
    assert "larger than 1 MB" in error.value.messages[0]


def test_a_file_with_too_many_people_is_refused(settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 3
    raw = b"email,first_name\n" + b"".join(b"p%d@example.org,P\n" % n for n in range(4))
    with pytest.raises(PeopleFileError, match="more than 3 people"):
        parse_people_file(raw)


def test_a_file_of_exactly_the_row_limit_is_read(settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 3
    raw = b"email,first_name\n" + b"".join(b"p%d@example.org,P\n" % n for n in range(3)) + b"\n\n"
    assert len(parse_people_file(raw).rows) == 3


@pytest.mark.parametrize("raw", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(raw):
    with pytest.raises(PeopleFileError, match="empty"):
        parse_people_file(raw)


def test_a_header_without_people_is_refused():
    with pytest.raises(PeopleFileError, match="no people"):
        parse_people_file(b"email;first_name\n;\n")


def test_a_line_with_more_values_than_columns_is_a_row_problem():
    parsed = parse_people_file(b"email,first_name\njan@example.org,Jan,de Vries\npiet@example.org,Piet,,\n")
    assert parsed.rows[0].problems and "quotation marks" in parsed.rows[0].problems[0]
    assert parsed.rows[1].problems == ()  # empty trailing cells are harmless


def test_short_lines_get_empty_values():
    parsed = parse_people_file(b"email,first_name,team\njan@example.org\n")
    assert parsed.rows[0].values == {"email": "jan@example.org", "first_name": "", "team": ""}


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("employee", Role.EMPLOYEE),
        ("Medewerker", Role.EMPLOYEE),
        ("MANAGER", Role.MANAGER),
        ("leidinggevende", Role.MANAGER),
        ("hr_admin", Role.HR_ADMIN),
        ("HR admin", Role.HR_ADMIN),
        ("HR-beheerder", Role.HR_ADMIN),
        (" hr-admin ", Role.HR_ADMIN),
        ("", None),
        ("  ", None),
    ],
)
def test_roles_are_read_from_values_and_labels_in_both_languages(text, role):
    assert role_from_text(text) == role


def test_an_unknown_role_word_raises_value_error():
    with pytest.raises(ValueError):
        role_from_text("directeur")


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_parsing_arbitrary_bytes_raises_nothing_but_a_file_error(raw):
    try:
        parsed = parse_people_file(raw)
    except PeopleFileError as error:
        assert error.messages
    else:
        assert parsed.rows


csv_cell = st.text(alphabet=st.sampled_from(list(';,"\r\n\t @.abcé\ufeff\x00\x1a\u2028')), max_size=30)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    header=st.sampled_from(["email;first_name;role\n", "email,first_name,team\r\n", "sep=,\nEmail,FIRST_NAME\n"]),
    body=st.lists(csv_cell, max_size=30),
)
def test_parsing_csv_like_text_raises_nothing_but_a_file_error(header, body):
    raw = (header + "".join(body)).encode("utf-8", errors="surrogatepass")
    try:
        parse_people_file(raw)
    except PeopleFileError:
        pass
