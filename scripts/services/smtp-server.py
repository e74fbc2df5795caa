"""SMTP test server for Router's e-mail tests (Debian python3-aiosmtpd).

STARTTLS with the given certificate, AUTH PLAIN/LOGIN required (only after STARTTLS), and each accepted message
stored as <maildir>/<n>.eml with its SMTP envelope in <n>.json. Scripted faults, chosen by the recipient's local
part so parallel tests do not disturb each other:
  reject*        RCPT TO answers 550 5.1.1 (that recipient only)
  tempfail*      RCPT TO answers 451 4.3.0 (that recipient only)
  data-tempfail* DATA answers 451 4.3.0 after the message was sent
  data-reject*   DATA answers 554 5.6.0 after the message was sent
  data-hang*     DATA never answers: the message arrives and is stored, the final reply is withheld
                 (the "timeout after the final dot" case) until the client goes away
Usage: smtp-server.py PORT MAILDIR USER PASSWORD CERT KEY
"""
import asyncio
import itertools
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, maildir, user, password, cert, key = sys.argv[1:7]
os.makedirs(maildir, exist_ok=True)
counter = itertools.count(1)


def local_part(address):
    return address.split("@", 1)[0].lower()


def store(envelope):
    n = next(counter)
    base = os.path.join(maildir, "%06d" % n)
    with open(base + ".json.tmp", "w", encoding="utf-8") as f:
        json.dump({"mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos}, f)
    with open(base + ".eml.tmp", "wb") as f:
        f.write(envelope.original_content or envelope.content)
    # The .eml appears last and whole: a test polling for it never reads half a message.
    os.replace(base + ".json.tmp", base + ".json")
    os.replace(base + ".eml.tmp", base + ".eml")


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        name = local_part(address)
        if name.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if name.startswith("tempfail"):
            return "451 4.3.0 <%s>: Temporary failure, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        names = [local_part(r) for r in envelope.rcpt_tos]
        if any(n.startswith("data-tempfail") for n in names):
            return "451 4.3.0 Temporary failure while queueing, try again later"
        if any(n.startswith("data-reject") for n in names):
            return "554 5.6.0 Message rejected by content policy"
        store(envelope)
        if any(n.startswith("data-hang") for n in names):
            await asyncio.sleep(3600)
        return "250 2.0.0 OK: queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login.decode() == user and auth_data.password.decode() == password)
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(
    Handler(), hostname="127.0.0.1", port=int(port), server_hostname="localhost",
    tls_context=context, require_starttls=True, auth_required=True, auth_require_tls=True,
    authenticator=authenticator, decode_data=False)
controller.start()
print("smtp test server on 127.0.0.1:%s" % port, flush=True)
try:
    asyncio.new_event_loop().run_forever()
finally:
    controller.stop()
