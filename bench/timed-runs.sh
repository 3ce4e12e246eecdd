# Sourced by the bench scripts that time commands case by case (cli-daemon.sh, pipe-start.sh): each
# case NAME has one value per run in $WORK/NAME.wall (and $WORK/NAME.cpu when /usr/bin/time exists).

# options ARGS...: the scripts' shared options: --runs N into RUNS, --out FILE into OUT and, where the
# script set BEFORE (even empty) first, --before JAR into BEFORE; anything else is an error (exit 2).
options() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --runs) RUNS=$2; shift ;;
            --out) OUT=$2; shift ;;
            --before) [ -n "${BEFORE+set}" ] || { echo "unknown option $1" >&2; exit 2; }; BEFORE=$2; shift ;;
            *) echo "unknown option $1" >&2; exit 2 ;;
        esac
        shift
    done
    JAR=$ROOT/scout-cli/target/scout.jar
    [ -f "$JAR" ] || { echo "no $JAR: build scout-cli first" >&2; exit 1; }
}

# pct FILE Q: the Q quantile (0..1) of the numbers in FILE, one per line.
pct() { sort -n "$1" | awk -v q="$2" '{a[NR]=$1} END{i=int(NR*q+0.999999); if(i<1)i=1; print a[i]}'; }

# report PREFIX RUNS LOAD_START LOAD_END OUT NAME...: writes $WORK/figures (key=value lines, keys
# PREFIX_...), prints the table, and copies the figures to OUT unless it is empty.
report() {
    local prefix=$1 runs=$2 load_start=$3 load_end=$4 out=$5 name
    shift 5
    {
        echo "${prefix}_runs=$runs"
        echo "${prefix}_loadavg_start=$load_start"
        echo "${prefix}_loadavg_end=$load_end"
        for name in "$@"; do
            echo "${prefix}_${name}_p50_ms=$(pct "$WORK/$name.wall" 0.5)"
            echo "${prefix}_${name}_p90_ms=$(pct "$WORK/$name.wall" 0.9)"
            [ -f "$WORK/$name.cpu" ] && echo "${prefix}_${name}_cpu_p50_ms=$(pct "$WORK/$name.cpu" 0.5)"
        done
    } >"$WORK/figures"
    printf '%-16s %14s %14s %14s\n' "" "wall p50 ms" "wall p90 ms" "cpu p50 ms"
    for name in "$@"; do
        printf '%-16s %14s %14s %14s\n' "$name" "$(pct "$WORK/$name.wall" 0.5)" "$(pct "$WORK/$name.wall" 0.9)" \
            "$([ -f "$WORK/$name.cpu" ] && pct "$WORK/$name.cpu" 0.5 || echo n/a)"
    done
    echo "runs: $runs each, interleaved; load average $load_start at the start, $load_end at the end ($(nproc) cores)"
    [ -z "$out" ] || cp "$WORK/figures" "$out"
}
