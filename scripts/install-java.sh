#!/usr/bin/env bash
# Installs a Java runtime for the Spark tests (tests/test_spark.py): PySpark starts a JVM and needs Java 17+.
# Idempotent: does nothing when a `java` of version 17 or later is on PATH. Otherwise installs Debian's
# headless JRE with apt-get, as root (CI) or through `sudo -n`; without either it says what to run and
# leaves the Spark tests to skip (they fail instead when CI is set).
set -euo pipefail

MIN_MAJOR=17

java_major() {
    # `openjdk version "17.0.15" 2025-04-15` -> 17; `java version "1.8.0_392"` -> 8
    local version
    version=$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    version=${version#1.}
    echo "${version%%[.+-]*}"
}

if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge "$MIN_MAJOR" ] 2>/dev/null; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "install-java: no Java $MIN_MAJOR+ on PATH and this user cannot run apt-get." >&2
    echo "install-java: run 'sudo apt-get install -y openjdk-17-jre-headless'; until then the Spark tests are skipped." >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
PACKAGE=""
for candidate in openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless; do
    if apt-cache show "$candidate" >/dev/null 2>&1; then
        PACKAGE=$candidate
        break
    fi
done
if [ -z "$PACKAGE" ]; then
    echo "install-java: apt has no headless JRE package (tried openjdk-17, openjdk-21, default)." >&2
    exit 1
fi

echo "install-java: installing Debian's $PACKAGE for the Spark tests" >&2
# The JRE's post-install links its man pages; slim images lack the directory and the install fails.
$SUDO mkdir -p /usr/share/man/man1
$SUDO apt-get install -y -qq --no-install-recommends "$PACKAGE" >/dev/null
hash -r
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt "$MIN_MAJOR" ]; then
    echo "install-java: installed $PACKAGE but no Java $MIN_MAJOR+ is on PATH (see update-alternatives --config java)." >&2
    exit 1
fi
java -version 2>&1 | head -n 1 >&2
