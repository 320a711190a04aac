import pytest
from django.core.management import CommandError, call_command

from cheepao.accounts.models import Body, User
from cheepao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(username="nesdc-admin"):
    call_command(
        "create_first_account",
        "--username",
        username,
        "--full-name",
        "สมชาย ใจดี",
        "--body",
        "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ",
    )


def test_first_national_account_must_change_password_and_is_audited(capsys):
    _create()
    account = User.objects.get(username="nesdc-admin")
    assert (account.role, account.area_code, account.must_change_password) == ("national", "", True)
    assert account.body.kind == "national_centre"
    out = capsys.readouterr().out
    password = out.split("one-time password: ")[1].split()[0]
    assert account.check_password(password)
    assert AuditEvent.objects.filter(action="create", object_id=str(account.pk)).count() == 1


def test_a_second_first_account_is_refused_and_nothing_changes():
    _create()
    before = (User.objects.count(), Body.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match="มีบัญชีระดับประเทศอยู่แล้ว"):
        _create("someone-else")
    assert (User.objects.count(), Body.objects.count(), AuditEvent.objects.count()) == before
