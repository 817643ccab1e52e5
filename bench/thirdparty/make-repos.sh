#!/bin/bash
# Recreates the third-party test repositories under $THIRDPARTY/repos (default ~/sparring-thirdparty): the repositories on which inject's yields in docs/injection.md were measured.
# Needs: root (for apt-get), the Debian mirror, the npm registry. Adds deb-src lines when there are none.
set -euo pipefail
if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/sparring-debsrc.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
command -v dpkg-source >/dev/null || apt-get install -y -qq dpkg-dev >/dev/null
T=${THIRDPARTY:-$HOME/sparring-thirdparty}; S=$T/src; R=$T/repos; N=$T/npm
mkdir -p $S $R $N
export GIT_AUTHOR_NAME=import GIT_AUTHOR_EMAIL=import@example.invalid GIT_COMMITTER_NAME=import GIT_COMMITTER_EMAIL=import@example.invalid
i=0
commit() { # commit <repo> <message>
  i=$((i+1)); export GIT_AUTHOR_DATE="2024-01-01T00:00:$(printf %02d $((i%60)))Z" GIT_COMMITTER_DATE="2024-01-01T00:00:$(printf %02d $((i%60)))Z"
  git -C "$1" add -A && git -C "$1" commit -qm "$2"
}
replace_tree() { # replace_tree <repo> <srcdir>: working tree := srcdir (keeps .git)
  find "$1" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp -a "$2"/. "$1"/
}
debsrc() { # debsrc <pkg> <version> -> prints extracted dir (patches NOT applied)
  local d=$S/$1_$2; mkdir -p $d
  ( cd $d && { ls *.dsc >/dev/null 2>&1 || apt-get source -qq --download-only "$1=$2" >/dev/null; } && { [ -d x ] || dpkg-source -x --skip-patches *.dsc x >/dev/null; } )
  echo $d/x
}

# ---- Python: xmltodict 0.13.0 + Debian's three security patches (each changes xmltodict.py and tests) ----
X=$(debsrc python-xmltodict 0.13.0-1.1~deb12u1)
rm -rf $R/xmltodict; mkdir $R/xmltodict; git -C $R/xmltodict init -q -b main
replace_tree $R/xmltodict $X; rm -rf $R/xmltodict/debian $R/xmltodict/.pc
commit $R/xmltodict "xmltodict 0.13.0 (upstream)"
while read -r p; do [ -n "$p" ] || continue
  git -C $R/xmltodict apply "$X/debian/patches/$p"; commit $R/xmltodict "$(sed -n 's/^Subject: //p' $X/debian/patches/$p | head -1)"
done < $X/debian/patches/series

# ---- Python: toolz 0.12.0 (Debian bookworm source, no patches) ----
X=$(debsrc toolz 0.12.0-1)
rm -rf $R/toolz; mkdir $R/toolz; git -C $R/toolz init -q -b main
replace_tree $R/toolz $X; rm -rf $R/toolz/debian $R/toolz/.pc
commit $R/toolz "toolz 0.12.0 (upstream)"

# ---- Go: go-cmp 0.5.9 then 0.6.0 (two upstream releases as two commits) ----
rm -rf $R/go-cmp; mkdir $R/go-cmp; git -C $R/go-cmp init -q -b main
for v in 0.5.9-1 0.6.0-1; do X=$(debsrc golang-github-google-go-cmp $v)
  replace_tree $R/go-cmp $X; rm -rf $R/go-cmp/debian $R/go-cmp/.pc; commit $R/go-cmp "go-cmp ${v%-1}"; done

# ---- Go: pkg/errors 0.9.1 (+ go.mod), then Debian's go1.21 FTBFS patch ----
X=$(debsrc golang-github-pkg-errors 0.9.1-3)
rm -rf $R/pkg-errors; mkdir $R/pkg-errors; git -C $R/pkg-errors init -q -b main
replace_tree $R/pkg-errors $X; rm -rf $R/pkg-errors/debian $R/pkg-errors/.pc
printf 'module github.com/pkg/errors\n\ngo 1.13\n' > $R/pkg-errors/go.mod
commit $R/pkg-errors "pkg/errors 0.9.1 (upstream) + go.mod"
while read -r p; do [ -n "$p" ] || continue
  git -C $R/pkg-errors apply "$X/debian/patches/$p"; commit $R/pkg-errors "debian patch $p"
done < $X/debian/patches/series

# ---- Go: go-spew 1.1.1 (Debian's golang-github-davecgh-go-spew-dev binary package ships the source) ----
dpkg -s golang-github-davecgh-go-spew-dev >/dev/null 2>&1 || apt-get install -y -qq golang-github-davecgh-go-spew-dev >/dev/null
rm -rf $R/go-spew; mkdir $R/go-spew; git -C $R/go-spew init -q -b main
cp -a /usr/share/gocode/src/github.com/davecgh/go-spew/. $R/go-spew/
[ -f $R/go-spew/go.mod ] || printf 'module github.com/davecgh/go-spew\n\ngo 1.13\n' > $R/go-spew/go.mod
commit $R/go-spew "go-spew 1.1.1 (Debian binary package source) + go.mod"

# ---- JavaScript: successive npm releases as successive commits ----
npmrepo() { # npmrepo <dir> <pkg> <versions...>
  local dir=$R/$1 pkg=$2; shift 2
  rm -rf $dir; mkdir $dir; git -C $dir init -q -b main
  for v in "$@"; do
    local tgz=$N/$(echo "$pkg" | sed 's/^@//; s#/#-#')-$v.tgz
    [ -f $tgz ] || (cd $N && npm pack "$pkg@$v" --silent >/dev/null)
    local tmp=$(mktemp -d); tar -xzf $tgz -C $tmp
    replace_tree $dir $tmp/package; rm -rf $tmp
    commit $dir "$pkg $v"
  done
}
npmrepo fastq fastq 1.17.1 1.18.0 1.19.0 1.19.1 1.20.0
npmrepo fastify-error @fastify/error 4.0.0 4.1.0 4.2.0 4.3.0
npmrepo json-schema-traverse json-schema-traverse 0.4.1 0.5.0 1.0.0
npmrepo fast-json-stringify fast-json-stringify 6.0.0 6.0.1 6.1.0 6.1.1
for r in $R/*; do echo "$(basename $r): $(git -C $r rev-list --count HEAD) commits, HEAD $(git -C $r rev-parse --short HEAD)"; done
