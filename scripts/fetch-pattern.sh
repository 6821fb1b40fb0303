#!/bin/sh
# Prints the folder of the test corpora of Debian's python3-pattern package
# (French Wikinews sentences, CoNLL-2010 Wikipedia uncertainty sentences),
# unpacking the package into artifacts/pattern/ when it is not installed.
# Those corpora are for personal use: they are read at evaluation time from
# there, never committed and never trained on.
set -eu
cd "$(dirname "$0")/.."
corpora=usr/share/doc/python3-pattern/test/corpora
if [ -f "/$corpora/tagged-fr-wikinews.txt" ]; then
  echo "/$corpora"
  exit 0
fi
dest=artifacts/pattern
if [ ! -f "$dest/$corpora/tagged-fr-wikinews.txt" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download python3-pattern >/dev/null 2>&1); then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null
      (cd "$tmp" && apt-get download python3-pattern >/dev/null)
    else
      echo "fetch-pattern: apt-get download python3-pattern failed; run apt-get update first" >&2
      exit 1
    fi
  fi
  mkdir -p "$dest"
  dpkg-deb -x "$tmp"/python3-pattern_*.deb "$dest"
fi
echo "$dest/$corpora"
