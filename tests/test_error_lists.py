"""A list of errors stays a list for screen readers: role="alert" goes on a wrapper, never on the <ul> itself
(a <ul role="alert"> is no list any more, so axe reports each of its <li> as "listitem", a serious violation)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST_WITH_A_ROLE = re.compile(r"<(ul|ol)\b[^>]*\brole=\"(?!list\")", re.IGNORECASE)


def templates():
    for path in sorted(ROOT.rglob("*.html")):
        if not {".venv", "node_modules", "staticfiles"} & set(path.relative_to(ROOT).parts):
            yield path


def test_no_template_gives_a_list_another_role():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if LIST_WITH_A_ROLE.search(line)
    ]
    assert found == []


def test_the_check_sees_a_list_with_a_role():
    assert LIST_WITH_A_ROLE.search('<ul class="errorlist nonfield" role="alert"><li>x</li></ul>')
    assert not LIST_WITH_A_ROLE.search('<div role="alert"><ul class="errorlist nonfield"><li>x</li></ul></div>')
    assert not LIST_WITH_A_ROLE.search('<ul role="list"><li>x</li></ul>')
