#!/usr/bin/python3
"""Run Debian's python3-impacket ticketer.py with a fixed clock and seeded randomness.

ticketer.py makes a silver ticket offline: it reads the clock (authtime, LogonTime, endtime,
CLIENT_INFO), draws the session key with random.choice and the encryption confounders with
impacket.krb5.crypto.get_random_bytes. Pinning those three makes the same arguments give the same
ccache bytes, so a golden file can be regenerated and compared byte for byte. Nothing else of
ticketer.py is touched: it runs unmodified through runpy, as `python3 ticketer.py ARGS` would.

usage: /usr/bin/python3 scripts/lab/impacket-silver.py --at 2026-11-27T12:00:00 --seed 4 \
           --out DIR -- <ticketer.py arguments>

The ccache lands in DIR as <user>.ccache (ticketer's own naming). Must run with the system
python (/usr/bin/python3), which is where Debian installs impacket.
"""
import argparse
import datetime
import os
import random
import runpy
import sys

TICKETER = '/usr/share/doc/python3-impacket/examples/ticketer.py'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--at', required=True, help='UTC time ticketer sees as "now", ISO 8601 without zone')
    parser.add_argument('--seed', required=True, type=int, help='seed for the session key and the confounders')
    parser.add_argument('--out', required=True, help='directory to write <user>.ccache into')
    parser.add_argument('ticketer_args', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    rest = args.ticketer_args[1:] if args.ticketer_args[:1] == ['--'] else args.ticketer_args

    at = datetime.datetime.fromisoformat(args.at)
    real = datetime.datetime

    class PinnedDateTime(real):
        """datetime.datetime whose utcnow()/now() answer the pinned instant (naive UTC, as ticketer expects)."""

        @classmethod
        def utcnow(cls):
            return cls(at.year, at.month, at.day, at.hour, at.minute, at.second)

        @classmethod
        def now(cls, tz=None):
            if tz is None:
                return cls.utcnow()
            return cls.utcnow().replace(tzinfo=datetime.timezone.utc).astimezone(tz)

    # ticketer.py calls datetime.datetime.utcnow() through the module attribute, so replacing it
    # before ticketer (and impacket.krb5.ccache, which imports the class) is loaded is enough.
    datetime.datetime = PinnedDateTime

    rng = random.Random(args.seed)
    random.seed(args.seed)
    import impacket.krb5.crypto as krb5crypto
    krb5crypto.get_random_bytes = rng.randbytes

    os.makedirs(args.out, exist_ok=True)
    os.chdir(args.out)
    sys.argv = [TICKETER, *rest]
    runpy.run_path(TICKETER, run_name='__main__')


if __name__ == '__main__':
    main()
