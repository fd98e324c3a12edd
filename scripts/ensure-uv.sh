#!/bin/sh
# Print the command that runs uv, installing uv first when the machine lacks it.
# Needs only python3 (with pip). Used by the Makefile.
if command -v uv >/dev/null 2>&1; then echo uv; exit 0; fi
if python3 -m uv --version >/dev/null 2>&1; then echo "python3 -m uv"; exit 0; fi
{
  python3 -m pip install --quiet --user uv ||
  python3 -m pip install --quiet --user --break-system-packages uv ||
  python3 -m pip install --quiet uv
} >&2
if python3 -m uv --version >/dev/null 2>&1; then echo "python3 -m uv"; exit 0; fi
echo "Could not install uv with pip; install it (https://docs.astral.sh/uv/) and retry." >&2
exit 1
