#!/usr/bin/env bash
# Per-command sandbox cost of one or more source trees, by the same program (bench/sandbox-cost/Program.cs):
#   bench/sandbox-cost.sh [--iterations N] [--repeats R] TREE...
# e.g. compare the committed tree before a change with the working tree:
#   git archive HEAD~3 | tar -x -C /tmp/old && bench/sandbox-cost.sh /tmp/old .
# Trees are measured in turn, and the turn is repeated, so machine noise hits each alike.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
iterations=50; repeats=3; rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --iterations) iterations="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--iterations N] [--repeats R] [--rounds K] TREE..." >&2; exit 2; }
sample="$here/../samples/py-inventory"
[ -d "$sample" ] || "$here/../samples/restore.sh" --quiet
builds=()
for tree in "$@"; do
  tree="$(cd "$tree" && pwd)"
  out="$(mktemp -d /tmp/sparring-cost-build-XXXXXX)"
  cp "$here/sandbox-cost/Program.cs" "$out/"
  cat > "$out/Cost.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup><ProjectReference Include="$tree/src/Sparring/Sparring.csproj" /></ItemGroup>
</Project>
PROJ
  dotnet build -c Release -o "$out/bin" "$out/Cost.csproj" >/dev/null
  builds+=("$tree=$out")
done
for round in $(seq 1 "$rounds"); do
  for entry in "${builds[@]}"; do
    echo "== ${entry%%=*} (round $round)"
    dotnet "${entry#*=}/bin/Cost.dll" "$iterations" "$repeats" "$sample"
  done
done
for entry in "${builds[@]}"; do rm -rf "${entry#*=}"; done
