"""Who may load data, and the Load data page's upload panel.

An administrator is configured in .streamlit/secrets.toml, in one of two ways:

    [admin]
    password = "a long random phrase"        # anyone who types it may load data (this session)

    [admin]
    emails = ["analyst@example.gov.scot"]     # people signed in with st.login() (OIDC: needs [auth])

With neither, there is no administrator and the Load data page does not exist. The password is
compared in constant time (hmac.compare_digest); five wrong tries lock the session out.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from pathlib import Path

import streamlit as st

from jsw_explorer.config import MAX_RETURN_BYTES, data_dir, database_path

SIGNED_IN = "_admin_signed_in"
FAILED_TRIES = "_admin_failed_tries"
MAX_TRIES = 5
CHECKED = "_admin_checked_returns"  # sha256 -> (CheckedReturn, preview), checked once per session
RECORDED = "_admin_recorded_rejections"
LOADED = "_admin_loaded_returns"     # sha256 -> outcome message


def settings() -> dict:
    try:
        return dict(st.secrets.get("admin", {}))
    except (FileNotFoundError, KeyError, TypeError):  # no secrets.toml at all
        return {}


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, TypeError):
        return False


def configured_password() -> str:
    password = settings().get("password")
    return password if isinstance(password, str) else ""


def allowed_emails() -> set[str]:
    emails = settings().get("emails", [])
    return {e.strip().casefold() for e in emails if isinstance(e, str) and e.strip()} if isinstance(emails, list) else set()


def admin_configured() -> bool:
    return bool(configured_password()) or (bool(allowed_emails()) and auth_configured())


def current_email() -> str:
    """The signed-in user's email (OIDC via st.login), or ''."""
    try:
        if st.user.get("is_logged_in"):
            return str(st.user.get("email") or "")
    except Exception:  # st.user is unavailable outside a session
        return ""
    return ""


def email_allowed(email: str, allowed: set[str]) -> bool:
    return bool(email) and email.strip().casefold() in allowed


def password_matches(given: str, configured: str) -> bool:
    """Constant-time comparison; an empty configured password never matches."""
    return bool(configured) and hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8"))


def is_admin() -> bool:
    if not admin_configured():
        return False
    if email_allowed(current_email(), allowed_emails()) and auth_configured():
        return True
    return bool(configured_password()) and st.session_state.get(SIGNED_IN) is True


def admin_name() -> str:
    """Who is loading, for the import log."""
    email = current_email()
    return email if email_allowed(email, allowed_emails()) else "administrator (password sign-in)"


def admin_sidebar() -> None:
    """Sign in and out, at the foot of the sidebar; shown only when an administrator is configured."""
    if not admin_configured():
        return
    with st.sidebar:
        if is_admin():
            st.caption(f"Signed in as {admin_name()}.")
            if st.button("Sign out of administration", key="admin_sign_out"):
                st.session_state[SIGNED_IN] = False
                if current_email() and auth_configured():
                    st.logout()
                st.rerun()
            return
        with st.expander("Administrator sign-in"):
            if allowed_emails() and auth_configured() and not current_email():
                st.button("Sign in with your organisation account", key="admin_oidc", on_click=st.login)
            if configured_password():
                password_form()


def password_form() -> None:
    tries = st.session_state.get(FAILED_TRIES, 0)
    if tries >= MAX_TRIES:
        st.error("Too many wrong passwords. Close the tab and start again.")
        return
    with st.form("admin_sign_in_form", clear_on_submit=True):
        given = st.text_input("Administrator password", type="password", key="admin_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        if password_matches(given or "", configured_password()):
            st.session_state[SIGNED_IN] = True
            st.session_state[FAILED_TRIES] = 0
            st.rerun()
        st.session_state[FAILED_TRIES] = tries + 1
        time.sleep(0.5)  # slows guessing
        st.error("That password is not right.")


# --- The upload panel -------------------------------------------------------------------------

def markdown_text(text: str, limit: int = 200) -> str:
    """User text for st.markdown: unsafe characters escaped (safe_text.shown), Markdown and Streamlit's
    own directives (:red[...], :material/...:) made literal."""
    from jsw_explorer.safe_text import shown

    return re.sub(r"([\\`*_\[\]<>#|:~$])", r"\\\1", shown(text, limit))


def return_panel(file_name: str, content: bytes) -> None:
    """Check an uploaded return, show every problem or a preview, and load it on confirmation."""
    from jsw_explorer import ingest
    from jsw_explorer.data_access import clear_caches

    file_name = Path(file_name).name[:200] or "upload"
    named = markdown_text(file_name)
    if len(content) > MAX_RETURN_BYTES:
        st.error(f"This file is {len(content) / 1e6:.1f} MB; the limit is {MAX_RETURN_BYTES / 1e6:.0f} MB. "
                 "Nothing has been changed.")
        return
    sha = hashlib.sha256(content).hexdigest()
    loaded = st.session_state.setdefault(LOADED, {})
    if sha in loaded:
        st.success(loaded[sha], icon=":material/check_circle:")
        return
    checked_returns = st.session_state.setdefault(CHECKED, {})
    if sha not in checked_returns:
        with st.spinner("Checking the return…"):
            checked_returns[sha] = ingest.check_file(content, file_name, database_path())
    checked, changes = checked_returns[sha]
    rows_read = "; ".join(f"{rows:,} row{'' if rows == 1 else 's'} from {markdown_text(label)}"
                          for label, rows in checked.rows_read.items())

    if not checked.ok:
        problems = checked.problem_table()
        st.error(f"**{named} cannot be loaded: {len(problems) or 1} problem(s).** Nothing has been changed. "
                 "Correct the file and upload it again.", icon=":material/block:")
        if rows_read:
            st.caption(f"Read {rows_read}.")
        if not problems.empty:
            st.dataframe(problems, hide_index=True, width="stretch",
                         column_config={"row": st.column_config.NumberColumn("row", format="%d")})
            from jsw_explorer.downloads import to_csv_bytes
            st.download_button("Download the list of problems (CSV)", to_csv_bytes(problems),
                               file_name="return-problems.csv", mime="text/csv", key="problems-csv")
        recorded = st.session_state.setdefault(RECORDED, set())
        if sha not in recorded:
            ingest.record_rejection(checked, admin_name(), data_dir())
            recorded.add(sha)
        return

    st.success(f"**{named} passed every check**: {checked.rows:,} rows. Nothing is changed until you "
               "confirm below.", icon=":material/check_circle:")
    st.markdown(f"Read {rows_read}.")
    for note in checked.notes:
        st.info(note)
    st.subheader("What loading it will change")
    st.markdown(ingest.summary(changes) + ".")
    st.dataframe(changes.rename(columns=lambda c: c.replace("_", " ")), hide_index=True, width="stretch")
    if st.button("Load this return", key="confirm_load", type="primary"):
        with st.spinner("Loading: building a new database with this return and swapping it in…"):
            outcome = ingest.load(content, file_name, loaded_by=admin_name(), data_dir=data_dir(),
                                  db_path=database_path())
        clear_caches()
        checked_returns.pop(sha, None)
        if outcome.outcome == "loaded":
            loaded[sha] = (f"**Loaded {named} as import {outcome.import_id}** in {outcome.seconds:.1f} s. "
                           "Every page now shows the new data; the previous database is kept as a backup.")
            st.rerun()
        st.error("The return could not be loaded, so nothing was changed: "
                 + markdown_text("; ".join(str(p) for p in outcome.checked.problems), 5000), icon=":material/block:")
