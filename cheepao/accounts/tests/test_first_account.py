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


def test_bootstrap_refusals_are_codes_and_change_nothing(make_user):
    from cheepao.accounts import services
    from cheepao.core.context import Channel, Context
    from cheepao.core.errors import Invalid, Refused

    def counts():
        return User.objects.count(), Body.objects.count(), AuditEvent.objects.count()

    args = {"username": "nesdc-admin", "full_name": "สมชาย ใจดี", "body_name": "สศช."}
    before = counts()
    # Only the command line makes the first account: never a page or the API.
    for channel in (Channel.WEB, Channel.API, Channel.TASK):
        with pytest.raises(Refused) as refused:
            services.account_bootstrap_national(ctx=Context(channel=channel), **args)
        assert refused.value.code == "accounts.command_line_only"
    with pytest.raises(Invalid) as refused:
        services.account_bootstrap_national(ctx=Context.cli(), **{**args, "body_name": " "})
    assert refused.value.code == "accounts.bootstrap_incomplete"
    make_user("district", "3401", username="NESDC-admin")
    before = counts()
    with pytest.raises(Invalid) as refused:
        services.account_bootstrap_national(ctx=Context.cli(), **args)
    assert refused.value.code == "accounts.username_taken"
    assert counts() == before
    services.account_bootstrap_national(ctx=Context.cli(), **{**args, "username": "first"})
    before = counts()
    with pytest.raises(Refused) as refused:
        services.account_bootstrap_national(ctx=Context.cli(), **{**args, "username": "second"})
    assert refused.value.code == "accounts.national_exists"
    assert counts() == before


def test_demo_accounts_and_backup_codes_without_an_actor_are_the_command_lines_only(make_user):
    from django_otp.plugins.otp_static.models import StaticDevice

    from cheepao.accounts import services
    from cheepao.core.context import Context
    from cheepao.core.errors import Refused

    person = make_user("province", "34")
    before = (User.objects.count(), StaticDevice.objects.count(), AuditEvent.objects.count())
    anonymous = Context(channel="web")
    with pytest.raises(Refused) as refused:
        services.demo_account_ensure(
            ctx=anonymous,
            username="demo-x",
            full_name="x",
            role="mentor",
            area_code="34010101",
            body_name="b",
        )
    assert refused.value.code == "accounts.command_line_only"
    with pytest.raises(Refused) as refused:
        services.backup_codes_issue(ctx=anonymous, user=person)
    assert refused.value.code == "accounts.command_line_only"
    assert (User.objects.count(), StaticDevice.objects.count(), AuditEvent.objects.count()) == (
        before
    )
