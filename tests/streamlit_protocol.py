"""A Streamlit session at protocol level: the page load and the websocket a browser opens, no browser.

Used where many sessions must run at once on a small machine (the cluster tests, `load_test.py
--replicas`): it does what the frontend does over the wire (GET the page, which sets the balancer's
and the XSRF cookies, with the health check; open /_stcore/stream with those cookies and the XSRF token; send a rerun for a
page and query string; read the ForwardMsgs until the run finishes; upload a file to the session), and
keeps what a test needs: which replica answered each request, the session id, the text and the
exceptions of the last run. It draws nothing and runs no JavaScript: it measures the server's part.
Streamlit's own protobuf messages and the `websockets` client Streamlit already depends on do the work.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

XSRF_COOKIE = "_streamlit_xsrf"
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Run:
    """What one script run sent: texts (markdown, captions, alerts), exceptions, how long it took."""

    seconds: float
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False

    def text(self) -> str:
        return "\n".join(self.texts)


class ProtocolSession:
    """One user's session through `base_url` (the balancer or a replica)."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None, timeout: float = 120):
        self.base_url = base_url.rstrip("/")
        self.cookies = dict(cookies or {})
        self.timeout = timeout
        self.session_id: str | None = None
        self.served_by: list[str] = []  # the balancer's X-Served-By for every request, in order
        self.websocket = None

    # --- HTTP -----------------------------------------------------------------------------------

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _remember(self, headers) -> None:
        for value in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if headers.get("X-Served-By"):
            self.served_by.append(headers["X-Served-By"])

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> int:
        """An HTTP request with this session's cookies; returns the status (errors included)."""
        request = urllib.request.Request(self.base_url + path, data=body, method=method,
                                         headers={"Cookie": self.cookie_header(), **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
                self._remember(response.headers)
                return response.status
        except urllib.error.HTTPError as error:
            self._remember(error.headers)
            return error.code

    # --- The websocket -----------------------------------------------------------------------------

    def connect(self, path: str = "/") -> ProtocolSession:
        """Load the page and the health check (their cookies), then open the session's websocket,
        as the frontend does."""
        for step in (path, "/_stcore/health"):  # the health check sets the XSRF cookie
            status = self.request("GET", step)
            if status != 200:
                raise ConnectionError(f"GET {step} answered {status}")
        url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.websocket = connect(url, subprotocols=["streamlit", self.cookies.get(XSRF_COOKIE, "")],
                                 additional_headers={"Cookie": self.cookie_header()}, origin=self.base_url,
                                 open_timeout=self.timeout, max_size=None).__enter__()  # closed by close()
        self._remember(self.websocket.response.headers)
        return self

    def rerun(self, page: str = "", query_string: str = "") -> Run:
        """Run the app for a page (its url_path, "" for the default) and query string, until finished."""
        message = BackMsg()
        message.rerun_script.page_name = page
        message.rerun_script.query_string = query_string
        started = time.perf_counter()
        self.websocket.send(message.SerializeToString())
        run = Run(0.0)
        deadline = time.monotonic() + self.timeout
        while True:
            incoming = ForwardMsg()
            incoming.ParseFromString(self.websocket.recv(timeout=max(0.1, deadline - time.monotonic())))
            kind = incoming.WhichOneof("type")
            if kind == "new_session":
                self.session_id = incoming.new_session.initialize.session_id or self.session_id
            elif kind == "page_not_found":
                run.page_not_found = True
            elif kind == "delta" and incoming.delta.WhichOneof("type") == "new_element":
                element = incoming.delta.new_element
                shown = element.WhichOneof("type")
                if shown == "exception":
                    run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
                elif shown in ("markdown", "alert", "heading"):
                    run.texts.append(getattr(element, shown).body)
            elif kind == "script_finished" and incoming.script_finished in FINISHED:
                run.seconds = time.perf_counter() - started
                return run

    def upload(self, content: bytes, file_name: str = "return.csv") -> int:
        """PUT a file to this session's upload endpoint (what st.file_uploader does); returns the status."""
        body, boundary = multipart(file_name, content)
        return self.request("PUT", f"/_stcore/upload_file/{self.session_id}/{uuid.uuid4().hex}", body,
                            {"Content-Type": f"multipart/form-data; boundary={boundary}",
                             "X-Xsrftoken": self.cookies.get(XSRF_COOKIE, ""), "Origin": self.base_url})

    def close(self) -> None:
        if self.websocket is not None:
            self.websocket.close()
            self.websocket = None


def multipart(file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, boundary
