#!/usr/bin/env bash
# Ed25519 sign/verify with an older Bouncy Castle against the one the build uses, in interleaved rounds
# of one run (so drift on a shared machine hits both alike). Needs scout-bench/target/benchmarks.jar
# (./bench/run builds it) and the old jar in the local Maven repository:
#   mvn dependency:get -Dartifact=org.bouncycastle:bcprov-jdk18on:1.78.1
#   bench/compare-bouncycastle.sh [OLD_VERSION] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
OLD_VERSION=${1:-1.78.1}
ROUNDS=${2:-3}
JAR=scout-bench/target/benchmarks.jar
OLD=${MAVEN_REPO:-$HOME/.m2/repository}/org/bouncycastle/bcprov-jdk18on/$OLD_VERSION/bcprov-jdk18on-$OLD_VERSION.jar
[ -f "$JAR" ] || { echo "build $JAR first (./bench/run --only micro)" >&2; exit 1; }
[ -f "$OLD" ] || { echo "missing $OLD (mvn dependency:get -Dartifact=org.bouncycastle:bcprov-jdk18on:$OLD_VERSION)" >&2; exit 1; }
echo "round  bouncycastle  sign_us  verify_us"
for round in $(seq 1 "$ROUNDS"); do
  for which in old new; do
    # The old jar first on the class path wins over the copy shaded into benchmarks.jar.
    cp="$JAR"; label=bundled
    if [ "$which" = old ]; then cp="$OLD:$JAR"; label=$OLD_VERSION; fi
    out=$(java -cp "$cp" org.openjdk.jmh.Main 'Ed25519Bench.(sign|verify)$' -f 1 -wi 2 -w 1s -i 3 -r 1s -tu us -bm avgt 2>/dev/null)
    sign=$(echo "$out" | awk '/^Ed25519Bench.sign /{print $4}')
    verify=$(echo "$out" | awk '/^Ed25519Bench.verify /{print $4}')
    echo "$round      $label       $sign   $verify"
  done
done
