"""``missionsafety field export|init|bundle|apply|sync|status``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import NotAllowed
from missionsafety.field.envelope import BundleRefused
from missionsafety.field.files import DEFAULT_BATCH_BYTES


class Command(BaseCommand):
    help = (
        "Field instance of a deployed unit: export a package at home, init it in "
        "the field, then exchange bundles (bundle/apply) or sync over HTTPS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Make a field package (at home).")
        export.add_argument("--deployment", required=True, help="Deployment code.")
        export.add_argument("--out", required=True, type=Path)
        export.add_argument("--user", required=True, help="Who makes it (username).")
        export.add_argument("--url", default="", help="Home address for field sync.")
        init = sub.add_parser("init", help="Start a field instance from a package.")
        init.add_argument("package", type=Path)
        init.add_argument("--home-key", help="Home's public key (hex) to check.")
        bundle = sub.add_parser("bundle", help="Write the next bundle for a peer.")
        bundle.add_argument("--out", required=True, type=Path)
        bundle.add_argument("--peer", help="Peer instance id (home: required).")
        bundle.add_argument("--resend", type=int, help="Write bundle N again.")
        bundle.add_argument("--limit", type=int, help="At most this many changes.")
        apply = sub.add_parser("apply", help="Apply a bundle from a peer.")
        apply.add_argument("bundle", type=Path)
        sync = sub.add_parser("sync", help="Sync with home over HTTPS (field).")
        sync.add_argument("--url", help="Home address (default: from the package).")
        sync.add_argument("--batch", type=int, default=200)
        sync.add_argument(
            "--batch-bytes",
            type=int,
            default=DEFAULT_BATCH_BYTES,
            help="About this many bytes per batch (an attachment larger goes alone).",
        )
        sub.add_parser("status", help="Last sync, waiting changes, open conflicts.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except BundleRefused as exc:
            raise CommandError(exc.message) from None
        except NotAllowed as exc:
            raise CommandError(exc.message) from None

    def _export(self, options: dict[str, Any]) -> None:
        from missionsafety.deployments.models import Deployment
        from missionsafety.field.package import package_export
        from missionsafety.organisations.models import User

        deployment = Deployment.objects.filter(code=options["deployment"]).first()
        if deployment is None:
            raise CommandError(
                _("No deployment %(code)s.") % {"code": options["deployment"]}
            )
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No user %(name)s.") % {"name": options["user"]})
        data = package_export(actor=user, deployment=deployment, url=options["url"])
        options["out"].write_bytes(data)
        self.stdout.write(
            _("Field package for %(code)s written to %(path)s (%(size)s bytes).")
            % {"code": deployment.code, "path": options["out"], "size": len(data)}
        )

    def _init(self, options: dict[str, Any]) -> None:
        from django.core.management import call_command

        from missionsafety.field.package import package_init

        call_command("migrate", verbosity=0, interactive=False)
        data = _read(options["package"])
        codes = package_init(data=data, home_key=options.get("home_key"))
        self.stdout.write(_("Field instance ready. One-time login codes:"))
        for name, code in sorted(codes.items()):
            self.stdout.write(f"  {name}: {code}")

    def _bundle(self, options: dict[str, Any]) -> None:
        from missionsafety.field.models import Instance, SentBundle
        from missionsafety.field.services import bundle_make

        peer = _peer(options.get("peer"))
        if options.get("resend"):
            sent = SentBundle.objects.filter(peer=peer, seq=options["resend"]).first()
            if sent is None:
                raise CommandError(
                    _("No bundle %(seq)s was made.") % {"seq": options["resend"]}
                )
            options["out"].write_bytes(bytes(sent.data))
            return
        data, count = bundle_make(peer=peer, limit=options.get("limit"))
        peer = Instance.objects.get(pk=peer.pk)
        options["out"].write_bytes(data)
        self.stdout.write(
            _("Bundle %(seq)s for %(peer)s: %(count)s changes, %(size)s bytes.")
            % {
                "seq": peer.sent_seq,
                "peer": peer.name,
                "count": count,
                "size": len(data),
            }
        )

    def _apply(self, options: dict[str, Any]) -> None:
        from missionsafety.field.services import bundle_apply

        result = bundle_apply(data=_read(options["bundle"]))
        self.stdout.write(
            _(
                "Bundle %(seq)s applied: %(created)s new, %(updated)s changed, "
                "%(unchanged)s unchanged, %(conflicts)s to resolve."
            )
            % {
                "seq": result.seq,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "conflicts": result.conflicts,
            }
        )

    def _sync(self, options: dict[str, Any]) -> None:
        from missionsafety.field.sync import sync_with_home

        report = sync_with_home(
            url=options.get("url"),
            batch=options["batch"],
            batch_bytes=options["batch_bytes"],
        )
        self.stdout.write(
            _("Synced with home: %(sent)s changes sent, %(received)s received.")
            % report
        )

    def _status(self, options: dict[str, Any]) -> None:
        from missionsafety.field.selectors import instance_status

        for line in instance_status():
            self.stdout.write(line)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(str(exc)) from None


def _peer(value: str | None) -> Any:
    from missionsafety.field.models import Instance
    from missionsafety.field.services import self_instance

    me = self_instance()
    if me is None:
        raise CommandError(_("This instance is not set up for field sync."))
    peers = Instance.objects.filter(is_self=False)
    if value:
        peers = (
            peers.filter(uuid=value) if len(value) == 36 else peers.filter(name=value)
        )
    elif me.role == Instance.Role.HOME:
        raise CommandError(_("Name the field instance with --peer."))
    peer = peers.first()
    if peer is None:
        raise CommandError(_("Unknown peer instance."))
    return peer
