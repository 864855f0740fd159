# Sourced by ./mvnw and bin/bus: points JAVA_HOME at a JDK 21 or newer.
# Order: $JAVA_HOME, the java on PATH, then the newest JDK under /usr/lib/jvm (or $BUS_JVM_DIRS).
# Fails with a message saying what to install when none is found.

bus_java_major() {
  # prints the feature version of the java binary given as $1, or nothing. The JDK's `release`
  # file says it without starting a JVM (a start costs tens of milliseconds, on every `bus`
  # command, so this is read with the shell alone); a JDK without one is asked.
  bus_release="${1%/bin/java}/release"
  if [ -r "$bus_release" ]; then
    while IFS= read -r bus_line || [ -n "$bus_line" ]; do
      case "$bus_line" in
        JAVA_VERSION=*)
          bus_line=${bus_line#JAVA_VERSION=}; bus_line=${bus_line#\"}; bus_line=${bus_line%%[!0-9]*}
          if [ -n "$bus_line" ]; then echo "$bus_line"; return 0; fi ;;
      esac
    done < "$bus_release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

bus_find_jdk() {
  candidate=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(bus_java_major "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    home=$(readlink -f "$(command -v javac)"); home=${home%/bin/javac}
    v=$(bus_java_major "$home/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA_HOME=$home; export JAVA_HOME; return 0; fi
  fi
  best=""; best_v=0
  for dir in ${BUS_JVM_DIRS:-/usr/lib/jvm /usr/java /opt/java}; do
    [ -d "$dir" ] || continue
    for home in "$dir"/*; do
      [ -x "$home/bin/javac" ] || continue
      v=$(bus_java_major "$home/bin/java")
      if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
    done
  done
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "bus: a JDK 21 or newer is needed and none was found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "bus: install one, for example 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME to it." >&2
  return 1
}

bus_find_jdk || exit 1
case "${MAVEN_OPTS:-}" in
  *sun-misc-unsafe-memory-access*) ;;
  *) if [ "$(bus_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
       MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS
     fi ;;
esac
