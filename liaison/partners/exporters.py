"""`liaison export ftm`: organisations, persons, positions and assignments a user may see
as FollowTheMoney entities, one JSON object a line (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from liaison.core.models import Workspace

HELP = (
    "Organisations, persons, positions and assignments as FollowTheMoney "
    "entities, one JSON object a line (read back with `liaison import_ftm`)."
)


def export_ftm(command: Any, user: Any, workspace: Workspace | None, options: Any) -> None:
    # followthemoney takes seconds to import: every command paid it at start when this
    # module imported it (apps.py registers the exporter in ready()).
    from liaison.partners.ftm import export_lines

    left_out: list[str] = []
    lines = list(export_lines(user, workspace, left_out))
    command.write_out("".join(line + "\n" for line in lines).encode(), options["out"])
    command.stderr.write(
        _(
            "%(count)s entities written to %(path)s; %(left_out)s left out, as they "
            "would lack a link you may not see."
        )
        % {"count": len(lines), "path": options["out"] or "-", "left_out": len(left_out)}
    )
