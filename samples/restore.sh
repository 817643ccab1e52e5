#!/usr/bin/env bash
# Recreates each bundled sample repository (samples/NAME.bundle -> samples/NAME, with its full history).
# Idempotent: an existing sample is left as it is. --force re-clones every sample from its bundle.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
quiet=0; force=0
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --force) force=1 ;;
    *) echo "usage: $0 [--quiet] [--force]" >&2; exit 2 ;;
  esac
done
for bundle in "$HERE"/*.bundle; do
  [ -e "$bundle" ] || continue
  name="$(basename "$bundle" .bundle)"
  target="$HERE/$name"
  if [ "$force" = 1 ]; then rm -rf "$target"; fi
  if [ -d "$target/.git" ]; then continue; fi
  rm -rf "$target.partial"
  git clone --quiet --branch main "$bundle" "$target.partial"
  git -C "$target.partial" remote remove origin
  mv "$target.partial" "$target"
  [ "$quiet" = 1 ] || echo "restored samples/$name ($(git -C "$target" rev-list --count HEAD) commits)"
done
