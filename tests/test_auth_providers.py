"""Each provider's normaliser fed its recorded reply and compared with the expected identity.

The replies are the providers' documented examples, copied into tests/fixtures/providers/
with their README (sources and traps); the expectations follow its mapping table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.auth import providers
from app.auth.providers import IdentityInfo, ProviderError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "providers"


def reply(name: str):
    """One recorded reply body."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


CASES = [
    pytest.param(
        providers.normalize_wordpress,
        lambda: reply("wordpress-me"),
        IdentityInfo(
            provider="wordpress",
            subject="1",  # ID is an int in the reply
            name="Bob",
            email="bob@example.com",
            email_verified=True,  # from `verified`: the example has no email_verified
            avatar_url="http://gravatar.com/avatar/xxxx?s=96",
            profile_url="http://en.gravatar.com/xxxx",
        ),
        id="wordpress-me",
    ),
    pytest.param(
        providers.normalize_google,
        lambda: reply("google-id-token-claims"),
        IdentityInfo(
            provider="google",
            subject="10769150350006150715113082367",
            name="jsmith",  # no name claim: the email's local part
            email="jsmith@example.com",
            email_verified=True,  # the string "true"
        ),
        id="google-id-token-string-true",
    ),
    pytest.param(
        providers.normalize_google,
        lambda: {**reply("google-id-token-claims"), "email_verified": "false"},
        IdentityInfo(
            provider="google",
            subject="10769150350006150715113082367",
            name="jsmith",
            email="jsmith@example.com",
            email_verified=False,
        ),
        id="google-id-token-string-false",
    ),
    pytest.param(
        providers.normalize_google,
        lambda: reply("google-userinfo"),
        IdentityInfo(
            provider="google",
            subject="101010101010101010101",
            name="Foo Bar",
            email="foo@bar.com",
            email_verified=True,
            avatar_url="https://lh5.googleusercontent.com/-ui-GqpNh5Ms/AAAAAAAAAAI/AAAAAAAAAZw/a7puhHMO_fg/photo.jpg",
            profile_url=None,  # Google+ is gone
        ),
        id="google-userinfo",
    ),
    pytest.param(
        providers.normalize_x,
        lambda: reply("x-users-me"),
        IdentityInfo(
            provider="twitter",
            subject="2244994945",
            name="X Developers",
            email=None,
            email_verified=False,
            avatar_url="https://pbs.twimg.com/profile_images/...",
            profile_url="https://x.com/XDevelopers",
        ),
        id="x-users-me",
    ),
    pytest.param(
        providers.normalize_x,
        lambda: reply("x-users-me-with-url"),
        IdentityInfo(
            provider="twitter",
            subject="1234567890123456789",
            name="first last",
            avatar_url="https://social-core-test-url.com/image.png",
            profile_url="https://x.com/twitter_username",  # not data.url (the t.co website)
        ),
        id="x-users-me-with-url",
    ),
    pytest.param(
        providers.normalize_facebook,
        lambda: reply("facebook-me"),
        IdentityInfo(
            provider="facebook",
            subject="USER-ID",
            name="EXAMPLE NAME",
            email="EXAMPLE@EMAIL.COM",
            email_verified=False,
            avatar_url="URL-FOR-USER-PROFILE-PICTURE",  # picture.data.url
            profile_url=None,
        ),
        id="facebook-me",
    ),
    pytest.param(
        providers.normalize_facebook,
        lambda: {"id": "7", "name": "No Mail"},
        IdentityInfo(provider="facebook", subject="7", name="No Mail"),
        id="facebook-no-email-no-picture",
    ),
    pytest.param(
        providers.normalize_github,
        lambda: {"user": reply("github-user"), "emails": reply("github-user-emails")},
        IdentityInfo(
            provider="github",
            subject="1",
            name="monalisa octocat",
            email="octocat@github.com",
            email_verified=True,
            avatar_url="https://github.com/images/error/octocat_happy.gif",
            profile_url="https://github.com/octocat",
        ),
        id="github-user-and-emails",
    ),
    pytest.param(
        providers.normalize_github,
        lambda: {"user": {**reply("github-user"), "name": None, "email": None}, "emails": []},
        IdentityInfo(
            provider="github",
            subject="1",
            name="octocat",  # null name -> login
            email=None,  # private and no user:email grant
            avatar_url="https://github.com/images/error/octocat_happy.gif",
            profile_url="https://github.com/octocat",
        ),
        id="github-null-name-private-email",
    ),
    pytest.param(
        providers.normalize_github,
        lambda: {
            "user": {**reply("github-user"), "email": None},
            "emails": [
                {"email": "old@example.org", "verified": True, "primary": False},
                {"email": "new@example.org", "verified": False, "primary": False},
                {**reply("github-user-emails")[0], "visibility": None},
            ],
        },
        IdentityInfo(
            provider="github",
            subject="1",
            name="monalisa octocat",
            email="octocat@github.com",  # the primary verified one
            email_verified=True,
            avatar_url="https://github.com/images/error/octocat_happy.gif",
            profile_url="https://github.com/octocat",
        ),
        id="github-private-email-primary-verified",
    ),
    pytest.param(
        providers.normalize_mastodon,
        lambda: {"instance": "https://social.example", "userinfo": reply("mastodon-userinfo")},
        IdentityInfo(
            provider="mastodon",
            subject="http://social.example/users/john_mastodon",  # the actor URI
            name="John Mastodon",
            avatar_url="http://cdn.social.example/media/accounts/avatars/112/570/037/924/789/254/original/d746f9fb43a5705f.jpg",
            profile_url="http://social.example/@john_mastodon",
        ),
        id="mastodon-userinfo",
    ),
    pytest.param(
        providers.normalize_mastodon,
        lambda: {
            "instance": "https://mastodon.social",
            "account": reply("mastodon-verify-credentials"),
        },
        IdentityInfo(
            provider="mastodon",
            subject="trwnh@mastodon.social",  # no `uri` in the example: acct@host, never "14715"
            name="infinite love ⴳ",
            avatar_url="https://files.mastodon.social/accounts/avatars/000/014/715/original/34aa222f4ae2e0a9.png",
            profile_url="https://mastodon.social/@trwnh",
        ),
        id="mastodon-verify-credentials-old-server",
    ),
    pytest.param(
        providers.normalize_mastodon,
        lambda: {
            "instance": "https://mastodon.social",
            "account": {
                **reply("mastodon-verify-credentials"),
                "uri": "https://mastodon.social/users/trwnh",
            },
        },
        IdentityInfo(
            provider="mastodon",
            subject="https://mastodon.social/users/trwnh",
            name="infinite love ⴳ",
            avatar_url="https://files.mastodon.social/accounts/avatars/000/014/715/original/34aa222f4ae2e0a9.png",
            profile_url="https://mastodon.social/@trwnh",
        ),
        id="mastodon-verify-credentials-with-uri",
    ),
]


@pytest.mark.parametrize(("normalize", "raw", "expected"), CASES)
def test_normaliser_maps_recorded_reply(normalize, raw, expected):
    assert normalize(raw()) == expected


def test_two_mastodon_instances_with_the_same_local_id_are_two_identities():
    account = reply("mastodon-verify-credentials")
    one = providers.normalize_mastodon({"instance": "https://a.example", "account": account})
    two = providers.normalize_mastodon({"instance": "https://b.example", "account": account})
    assert one.subject != two.subject
    assert account["id"] not in (one.subject, two.subject)


@pytest.mark.parametrize(
    ("normalize", "raw"),
    [
        (providers.normalize_x, reply("x-error-401")),
        (providers.normalize_x, reply("x-error-invalid-request")),
        (providers.normalize_github, {"user": {"login": "x"}}),
        (providers.normalize_facebook, reply("facebook-error-oauthexception")),
        (providers.normalize_google, {"email": "a@example.org"}),
        (providers.normalize_mastodon, {"instance": "https://a.example", "account": {}}),
    ],
    ids=["x-401", "x-400", "github-no-id", "facebook-error", "google-no-sub", "mastodon-empty"],
)
def test_error_replies_are_not_identities(normalize, raw):
    with pytest.raises(ProviderError):
        normalize(raw)


def test_mastodon_scope_follows_server_metadata():
    metadata = reply("mastodon-oauth-authorization-server")
    assert providers.mastodon_scope(metadata) == "profile"
    assert providers.mastodon_scope({}) == "read:accounts"  # before 4.3: no metadata


def test_only_configured_providers_are_enabled(app):
    app.config.update(
        GITHUB_CLIENT_ID="abc",
        OIDC_CLIENT_ID="xyz",
        OIDC_ISSUER="https://sso.example",
        OIDC_NAME="Keycloak",
    )
    with app.test_request_context():
        names = [p.name for p in providers.enabled_providers()]
        oidc = providers.get_provider("oidc")
    assert names == ["github", "mastodon", "oidc"]
    assert oidc.title == "Keycloak"
    assert providers.get_provider("mastodon").needs_instance
    assert providers.get_provider("nope") is None


@pytest.mark.parametrize("name", list(providers.REGISTRY))
def test_every_provider_has_its_icon(name, app):
    provider = providers.REGISTRY[name]
    icon = Path(app.static_folder) / provider.icon
    assert provider.icon.startswith("img/providers/")
    svg = icon.read_text()
    assert svg.startswith("<svg") and "<title>" in svg


def test_oidc_without_issuer_is_not_enabled(app):
    app.config.update(OIDC_CLIENT_ID="xyz")
    with app.test_request_context():
        assert "oidc" not in [p.name for p in providers.enabled_providers()]
        app.config["OIDC_ISSUER"] = "https://sso.example"
        assert "oidc" in [p.name for p in providers.enabled_providers()]
