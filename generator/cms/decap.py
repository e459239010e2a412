"""The pinned Decap CMS bundle and the Content-Security-Policy of the page that loads it.

The bundle is not in the repository: ``/admin/`` loads it from jsDelivr, which
serves the files of the npm package as published, and the browser runs it only
if its SHA-384 is ``BUNDLE_SRI`` (Subresource Integrity). That hash was computed
from ``package/dist/decap-cms.js`` of the npm tarball ``decap-cms-3.16.3.tgz``,
whose own integrity, as the npm registry states it, is ``TARBALL_INTEGRITY``
(tests/decap_bundle.py fetches that tarball with npm, checks both, and serves
the file to the browser tests in place of the CDN).

To move to another version: ``npm pack decap-cms@<version>``, take the
``integrity`` npm prints, compute ``sha384`` of ``package/dist/decap-cms.js``
(``openssl dgst -sha384 -binary decap-cms.js | openssl base64 -A``), change the
three constants, and run the browser tests (tests/chromium/test_cms_browser.py).
"""

from __future__ import annotations

from ..config import Cms

DECAP_VERSION = "3.16.3"
BUNDLE_URL = f"https://cdn.jsdelivr.net/npm/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
BUNDLE_SRI = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
TARBALL_INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="

BACKEND_ORIGINS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # backend: (what its API is fetched from, where its avatars are shown from)
    "github": (("https://api.github.com",), ("https://avatars.githubusercontent.com",)),
    "gitlab": (("https://gitlab.com",), ("https://gitlab.com", "https://secure.gravatar.com")),
    "git-gateway": ((), ()),  # Netlify Identity and Git Gateway answer on the site's own origin
}


def admin_policy(cms: Cms | None, *, local: bool, header: bool = False) -> str:
    """The Content-Security-Policy of /admin/ (docs/hosting.md says why each part is there).

    ``local``: the page of `catalog serve`, which saves through the server itself.
    ``header``: the policy as an HTTP header, with ``frame-ancestors`` (a ``<meta>`` cannot carry it).
    """
    api, images = ((), ()) if local or cms is None else BACKEND_ORIGINS[cms.backend]
    parts = [
        "default-src 'self'",
        f"script-src 'self' {BUNDLE_URL} 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        " ".join(("img-src 'self'", *images)),
        " ".join(("connect-src 'self'", *api)),
        "base-uri 'self'",
        "form-action 'self'",
        *(["frame-ancestors 'none'"] if header else []),
        "object-src 'none'",
    ]
    return "; ".join(parts)


__all__ = ["BUNDLE_SRI", "BUNDLE_URL", "DECAP_VERSION", "TARBALL_INTEGRITY", "admin_policy"]
