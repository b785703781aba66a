"""Bad input gets a clear message and loses nothing; none answers 5xx (docs/security.md#input)."""

from __future__ import annotations

import io

import pytest

from app.models import Role
from tests.conftest import text_of
from tests.factories import make_user


def test_a_nul_byte_in_a_note_is_refused_with_a_message_and_the_rest_kept(client, auth, patient, today):
    data = {"csrf_token": auth.token(), "back_pain": "6", "medication": "none", "no_warning_signs": "y",
            "note": "Walked\x00 to the shop"}  # fmt: skip
    response = client.post(f"/log/{today}", data=data)
    assert response.status_code == 422
    page = text_of(response, 422)
    assert "This answer has a hidden character we cannot keep." in page
    assert 'value="6" checked' in response.get_data(as_text=True)


def test_a_file_where_text_is_expected_is_not_read(client, auth, patient, today):
    data = {"csrf_token": auth.token(), "back_pain": "5", "medication": "none", "no_warning_signs": "y",
            "note": (io.BytesIO(b"GIF89a..."), "photo.gif")}  # fmt: skip
    response = client.post(f"/log/{today}", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert "photo.gif" not in text_of(client.get("/today"))


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**63), "100001"])
def test_a_page_past_any_list_is_not_found(client, patient, page):
    assert client.get(f"/history?page={page}").status_code == 404
    assert client.get("/history?page=abc").status_code == 200  # not a number: the first page


def test_a_control_character_in_the_address_is_refused_plainly(client, patient):
    response = client.get("/history?page=1%00")
    assert response.status_code == 400
    assert "characters a web address cannot have" in text_of(response, 400)


def test_an_impossible_year_in_a_date_filter_is_a_message_not_an_error(client, auth):
    auth.login(make_user(Role.ADMIN).email)
    page = client.get("/admin/audit?date_to=9999-12-31")
    assert page.status_code == 422
    assert "Enter a date between 1900 and 2100." in text_of(page, 422)
    assert client.get("/admin/audit.csv?date_to=9999-12-31").status_code == 400


@pytest.mark.parametrize(
    "path", ["/therapist/patients/{big}", "/admin/accounts/{big}", "/exercises/{big}/done"]
)
def test_a_huge_id_is_not_found(client, auth, path):
    auth.login(make_user(Role.ADMIN).email)
    assert client.get(path.format(big=2**70)).status_code in (404, 405)
