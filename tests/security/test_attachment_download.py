"""A case's files are served only to staff who may see the case, only as downloads, never rendered."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.models import StaffRole
from complaints.staff.services import correspondence_record
from tests.factories import make_complaint
from tests.security.world import A, B, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cache.clear()
    return build_world()


def download(client, user, world, pk=None, reference=None):
    client.force_login(user)
    return client.get(f"/cases/{reference or world.case.reference}/files/{pk or world.attachment.pk}/")


def test_the_file_comes_as_an_attachment_with_its_checked_type_and_nosniff(client, world):
    response = download(client, world.user(B, StaffRole.COMPLAINTS_OFFICER), world)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="damp.txt"'
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"Mould on the north wall.\n"


def test_the_assigned_investigator_may_download_it(client, world):
    assert download(client, world.user(B, StaffRole.INVESTIGATING_OFFICER), world).status_code == 200


@pytest.mark.parametrize("who", ["other council", "barred", "unassigned investigator", "anonymous"])
def test_anyone_who_may_not_see_the_case_is_refused(client, world, who):
    if who == "anonymous":
        response = client.get(f"/cases/{world.case.reference}/files/{world.attachment.pk}/")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
        return
    user = {"other council": world.user(A, StaffRole.COUNCIL_ADMIN),
            "barred": world.barred[StaffRole.COMPLAINTS_MANAGER],
            "unassigned investigator": world.unassigned_investigator}[who]
    assert download(client, user, world).status_code == 404


def test_a_file_of_another_case_is_404_through_this_cases_address(client, world):
    officer = world.user(B, StaffRole.COMPLAINTS_OFFICER)
    other = make_complaint(B, "2026-06-02T10:00")
    letter = correspondence_record(complaint=other, by=officer, direction="in", kind="letter", subject="Other",
                                   occurred_at=timezone.now(),
                                   uploaded_file=SimpleUploadedFile("other.txt", b"Other case\n",
                                                                    content_type="text/plain"))
    assert download(client, officer, world, pk=letter.attachments.get().pk).status_code == 404
    assert download(client, officer, world, pk=letter.attachments.get().pk,
                    reference=other.reference).status_code == 200


def test_a_file_missing_from_storage_is_a_clear_404(client, world):
    world.attachment.file.delete(save=False)
    response = download(client, world.user(B, StaffRole.COMPLAINTS_OFFICER), world)
    assert response.status_code == 404


def test_the_case_page_links_each_file(client, world):
    client.force_login(world.user(B, StaffRole.COMPLAINTS_OFFICER))
    html = client.get(f"/cases/{world.case.reference}/").content.decode()
    assert f'href="/cases/{world.case.reference}/files/{world.attachment.pk}/" download>damp.txt' in html
