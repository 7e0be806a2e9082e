"""A real LTI 1.3 platform for the tests: the `lti1p3platform` package (OIDC authorisation,
signed id_tokens, deep linking settings and response validation, OAuth2 client-credentials
tokens checked against the tool's JWKS, AGS score and NRPS membership services) behind a small
HTTP server on loopback. Only storage (line items, scores, members) is ours, as in any platform
built on the package; the `tweak` of a launch makes the platform misbehave for refusal tests
(another signing key, another audience, an expired token, an unknown deployment or issuer)."""

from __future__ import annotations

import html
import re
import threading
import time
import uuid
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from lti1p3platform.exceptions import LtiException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request as PlatformRequestBase
from lti1p3platform.request import TRequest
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
    TPage,
)

CLIENT_ID = "sim-tool-client"
DEPLOYMENT = "deployment-1"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def rsa_pem() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()


class PlatformRequest(PlatformRequestBase):
    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)

    def build_metadata(self, request: Any) -> TRequest:
        return request  # type: ignore[no-any-return]


class Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self._registration = kwargs["registration"]
        self.tool_jwks_fetches = 0

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self._registration  # type: ignore[return-value]

    def get_tool_public_key(self) -> bytes:
        """Like any platform: a cached JWKS, fetched again when a key id is not in it."""
        try:
            return super().get_tool_public_key()
        except LtiException:
            self._registration.set_tool_key_set(None)  # type: ignore[union-attr, arg-type]
            self.tool_jwks_fetches += 1
            return super().get_tool_public_key()


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> str:
        return (f'<form method="post" id="f" action="{html.escape(launch_data["launch_url"])}">'
                f'<input type="hidden" name="id_token" value="{launch_data["id_token"]}">'
                f'<input type="hidden" name="state" value="{html.escape(launch_data["state"])}">'
                '<button>Continue</button></form>'
                '<script>document.getElementById("f").submit()</script>')


class Grades(AssignmentsGradesService):
    def __init__(self, platform: TestPlatform, request: PlatformRequest, item: str) -> None:
        super().__init__(request, platform.conf, f"{platform.url}/lineitems",
                         f"{platform.url}/lineitems/{item}")
        self.platform = platform

    def update_score(self, line_item_id: str, score: Any) -> Any:
        from lti1p3platform.exceptions import LineItemNotFoundException
        from lti1p3platform.score import UpdateScoreStatus

        if line_item_id not in self.platform.lineitems:
            raise LineItemNotFoundException()
        self.platform.scores.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, *a: Any, **k: Any) -> TPage:
        return {"content": list(self.platform.lineitems.values()), "has_next": False}

    def find_lineitem(self, line_item_id: str) -> Any:
        return self.platform.lineitems[line_item_id]

    def create_lineitem(self, creation_data: Any) -> Any:
        return self.platform.add_lineitem(dict(creation_data))

    def update_lineitem(self, update_data: Any) -> Any:
        return update_data

    def delete_lineitem(self, line_item_id: str) -> None:
        self.platform.lineitems.pop(line_item_id, None)

    def get_results(self, *a: Any, **k: Any) -> TPage:
        return {"content": [], "has_next": False}


class Members(NamesRoleProvisioningService):
    def __init__(self, platform: TestPlatform, request: PlatformRequest) -> None:
        super().__init__(request, platform.conf, f"{platform.url}/memberships")
        self.platform = platform

    def get_member_data_page(self, *a: Any, **k: Any) -> TPage:
        return {"content": [dict(m) for m in self.platform.members], "has_next": False}

    def get_context_by_id(self) -> Any:
        from lti1p3platform.membership import Context

        return Context(id="course-1", label="MI101", title="Motivational Interviewing 101")

    def is_resource_link_valid(self, context_id: str, resource_link_id: str) -> bool:
        return True


class TestPlatform:
    """The platform, its registration of the tool, and what the tool sent it."""

    def __init__(self, tool_url: str, issuer: str | None = None, host: str = "127.0.0.1"
                 ) -> None:
        self.private, self.public = rsa_pem()
        self.tool_url = tool_url
        self.lineitems: dict[str, dict[str, Any]] = {}
        self.scores: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []
        self.deep_links: list[list[dict[str, Any]]] = []
        self.token_requests: list[dict[str, Any]] = []
        self.launches: dict[str, dict[str, Any]] = {}
        self.app = self._build_app()
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=0,
                                                    log_config=None, lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 15
        while not self.server.started and time.time() < deadline:
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://{host}:{port}"
        self.issuer = issuer or self.url
        self.registration = self._registration(self.issuer, DEPLOYMENT)
        self.conf = Conf(registration=self.registration)

    def _registration(self, iss: str, deployment: str, private: str | None = None
                      ) -> Registration:
        reg = Registration()
        reg.set_iss(iss).set_client_id(CLIENT_ID).set_deployment_id(deployment)
        reg.set_launch_url(f"{self.tool_url}/lti/launch")
        reg.set_deeplink_launch_url(f"{self.tool_url}/lti/launch")
        reg.set_oidc_login_url(f"{self.tool_url}/lti/login")
        reg.set_tool_key_set_url(f"{self.tool_url}/lti/jwks")
        reg.set_platform_public_key(self.public).set_platform_private_key(private or self.private)
        return reg

    def registration_body(self, program_id: int) -> dict[str, Any]:
        """What the tool's admin enters (POST /api/lti/platforms)."""
        return {"name": "Test LMS", "issuer": self.issuer, "client_id": CLIENT_ID,
                "auth_login_url": f"{self.url}/authorize", "auth_token_url": f"{self.url}/token",
                "key_set_url": f"{self.url}/jwks", "deployment_ids": [DEPLOYMENT],
                "program_id": program_id}

    def add_lineitem(self, data: dict[str, Any]) -> dict[str, Any]:
        item = str(len(self.lineitems) + 1)
        data.update({"id": f"{self.url}/lineitems/{item}/lineitem"})
        self.lineitems[item] = data
        return data

    def login_url(self, user: str, roles: list[str], *, resource_link: str = "rl-1",
                  custom: dict[str, str] | None = None, lineitem: str | None = None,
                  deep_link: bool = False, tweak: str | None = None, name: str = "Ada Learner",
                  issuer: str | None = None) -> str:
        """Starts a launch the way the LMS does: the OIDC login initiation URL at the tool."""
        hint = uuid.uuid4().hex
        self.launches[hint] = {"user": user, "roles": roles, "resource_link": resource_link,
                               "custom": custom or {}, "lineitem": lineitem, "tweak": tweak,
                               "deep_link": deep_link, "name": name}
        reg = self._registration(issuer or self.issuer, "dep-unknown"
                                 if tweak == "unknown_deployment" else DEPLOYMENT)
        login = Login(None, Conf(registration=reg))
        login.set_lti_message_hint(hint=hint)
        return login.initiate_login(user)  # type: ignore[no-any-return]

    def authorize(self, params: dict[str, str]) -> str:
        spec = self.launches[params["lti_message_hint"]]
        tweak = spec["tweak"]
        other_private = rsa_pem()[0] if tweak == "bad_signature" else None
        reg = self._registration(self.issuer, "dep-unknown"
                                 if tweak == "unknown_deployment" else DEPLOYMENT)
        if other_private:  # signed by a key the registration does not publish, same kid
            kid = reg.get_kid()
            reg.set_platform_private_key(other_private)
            reg.get_kid = lambda: kid  # type: ignore[method-assign]
        launch = Launch(PlatformRequest({"get_data": params, "form_data": {}}),
                        Conf(registration=reg))
        if tweak == "expired":
            launch.set_id_token_expiration(-600)
        launch.set_user_data(spec["user"], spec["roles"], full_name=spec["name"])
        launch.set_resource_link_claim(spec["resource_link"], title="Practice")
        launch.set_launch_context_claim("course-1", context_title="Motivational Interviewing 101",
                                        context_label="MI101")
        launch.set_custom_parameters_claim(spec["custom"])
        launch.set_nrps(f"{self.url}/memberships")
        if spec["lineitem"]:
            launch.set_ags(f"{self.url}/lineitems", spec["lineitem"])
        if spec["deep_link"]:
            launch.set_dl(f"{self.url}/deep-link-return", title="Pick a scenario",
                          accept_types={"ltiResourceLink"}, extra_data={"opaque": "kept"})
        if tweak == "wrong_audience":
            launch.set_extra_claims({"aud": "some-other-tool", "azp": "some-other-tool"})
        return launch.lti_launch()  # type: ignore[no-any-return]

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/course", response_class=HTMLResponse)
        def course(launch: str) -> str:
            """A course page with the tool placed in a frame, as LMSs show tools."""
            return ('<!doctype html><html lang="en"><head><title>Course</title></head><body>'
                    '<h1>Motivational Interviewing 101</h1><iframe title="Practice tool" '
                    f'id="tool" width="900" height="500" src="{html.escape(launch)}"></iframe>'
                    '</body></html>')

        @app.get("/favicon.ico")
        def favicon() -> Response:
            return Response(status_code=204)

        @app.get("/jwks")
        def platform_jwks() -> Any:
            return self.conf.get_jwks()

        @app.get("/authorize", response_class=HTMLResponse)
        def authorize(request: Request) -> str:
            return self.authorize(dict(request.query_params))

        @app.post("/token")
        async def token(request: Request) -> Any:
            form = dict((await request.form()).items())
            self.token_requests.append(form)
            assertion = jwt.decode(str(form.get("client_assertion", "")),
                                   options={"verify_signature": False})
            if assertion.get("aud") != f"{self.url}/token" or assertion.get("sub") != CLIENT_ID:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            try:
                return self.conf.get_access_token(form)
            except Exception as exc:
                return JSONResponse({"error": "invalid_client", "detail": str(exc)},
                                    status_code=401)

        @app.post("/lineitems/{item}/lineitem/scores")
        async def score(item: str, request: Request) -> Response:
            body = PlatformRequest({"method": "POST", "headers": request.headers,
                                    "json": await request.json(), "get_data": {}})
            service = Grades(self, body, item)
            answer = service.handle_resp(service.handle_update_score, line_item_id=item)
            return JSONResponse({"message": answer.message}, status_code=answer.code)

        @app.get("/memberships")
        def members(request: Request) -> Response:
            body = PlatformRequest({"method": "GET", "headers": request.headers, "get_data": {}})
            service = Members(self, body)
            answer = service.handle_resp(service.handle_get_members)
            return JSONResponse(answer.result, status_code=answer.code,
                                media_type=answer.media_type)

        @app.post("/deep-link-return", response_class=HTMLResponse)
        async def deep_link_return(request: Request) -> Response:
            form = dict((await request.form()).items())
            try:
                items = self.conf.validate_deeplinking_resp({"JWT": form.get("JWT", "")})
            except Exception as exc:
                return HTMLResponse(f"<h1>Refused</h1><p>{html.escape(str(exc))}</p>", 400)
            self.deep_links.append(items)
            return HTMLResponse(f"<h1>Added {len(items)} item(s)</h1>")

        return app

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def form_fields(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the first form of an HTML page."""
    action = re.search(r'<form[^>]*action="([^"]*)"', page)
    assert action, page[:500]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in fields.items()}
