namespace Sparring.Sandboxes.Internal;

/// <summary>
/// The bash program a kept-alive sandbox runs (<see cref="CommandServer"/>): it starts the commands the host asks
/// for, one at a time, and after each one leaves the sandbox as a fresh one would be.
/// </summary>
/// <remarks>
/// <para>Protocol, one line each way per step, on descriptors 8 (requests) and 9 (answers), which only the server holds:
/// bwrap and its init, which any command can reach through <c>/proc/1/fd</c>, have <c>/dev/null</c> there instead. The
/// host writes <c>run ID</c> after writing, in
/// the read-only control folder (<c>$1</c>), <c>ID.req</c> (NUL-separated: working directory, number of variables,
/// <c>NAME=VALUE</c> each, then the command), <c>ID.in</c> (stdin) and the FIFOs <c>ID.out</c> and <c>ID.err</c> (whose
/// read ends it holds). The server opens the FIFOs, starts the command on them with exactly the given environment,
/// answers <c>started ID</c>, waits for it and answers <c>exited ID EXIT</c>, then puts the sandbox back (below) and
/// answers <c>done ID CLEAN</c>.</para>
/// <para>Between commands it kills every process but itself and the sandbox's init (what a finished command left
/// running), then empties <c>/tmp</c>, <c>/dev/shm</c> and <c>/dev/mqueue</c> and makes <c>HOME</c> again. CLEAN is 0 when it could not
/// put things back (a process that would not die, a file it could not remove, a folder made unusable, System V IPC
/// objects left): the host then replaces the sandbox. Job control (<c>set -m</c>) gives each command a process group
/// of its own, as a fresh sandbox does: a script's <c>kill 0</c> ends its own group, not the server. Builtins only on
/// the clean path: a step costs no fork but the command's own.</para>
/// <para>The command runs as the same user in the same namespaces, so it can signal the server, lower its limits,
/// renice it or pin it to a CPU. It cannot read or write the server's memory or file descriptors (its answers): the
/// server runs from an execute-only copy of bash, which makes it non-dumpable, and the command has no capabilities.
/// The server compares its own limits, priority, scheduling, CPUs and OOM score with those it started with after every
/// command (CLEAN 0 when one changed). The host treats any unexpected line, or the server's end, as the sandbox
/// lost.</para>
/// </remarks>
internal static class CommandServerScript
{
    /// <summary>Where the control folder appears inside the sandbox.</summary>
    public const string ControlPath = "/run/sparring-exec";

    /// <summary>Where the execute-only bash the server runs from appears inside the sandbox.</summary>
    public const string ProgramsPath = "/run/sparring-exec-bin";

    public const string ReadyLine = "ready";

    public const string Text = """
        d=$1
        set -m
        shopt -s nullglob dotglob
        exec 7<>"$d/tick" || exit 3
        mine() {
          local s l
          mapfile -t l < "/proc/$$/limits"
          read -r s < "/proc/$$/stat"
          s=(${s##*) })
          state="${l[*]} nice=${s[16]} rt=${s[37]} policy=${s[38]}"
          mapfile -t l < "/proc/$$/status"
          for s in "${l[@]}"; do [[ $s == Cpus_allowed_list* ]] && state+=" $s"; done
          read -r s < "/proc/$$/oom_score_adj"
          state+=" oom=$s"
        }
        mine
        own=$state
        fresh() {
          local t=(/tmp/* /tmp/home/* /dev/shm/* /dev/mqueue/*) l
          [ "${t[*]}" = /tmp/home ] || return 1
          for l in /tmp /tmp/home /dev/shm; do
            [[ -d $l && ! -L $l && -r $l && -w $l && -x $l ]] || return 1
          done
          for l in shm sem msg; do
            mapfile -t t < "/proc/sysvipc/$l" 2>/dev/null
            [ "${#t[@]}" -le 1 ] || return 1
          done
        }
        printf 'ready\n' >&9
        while read -r -u 8 verb id; do
          [ "$verb" = run ] && [[ $id =~ ^[0-9]+$ ]] || exit 3
          mapfile -d '' -t f < "$d/$id.req" || exit 3
          n=${f[1]}
          exec 5>"$d/$id.out" 6>"$d/$id.err" || exit 3
          (
            exec 0<"$d/$id.in" 1>&5 2>&6 5>&- 6>&- 7>&- 8<&- 9>&-
            cd -- "${f[0]}" 2>/dev/null || { printf 'sparring-sandbox: cannot enter %s\n' "${f[0]}" >&2; exit 126; }
            a=("${f[@]:2+n}")
            if [[ ${a[0]} == *=* ]]; then a=(/bin/sh -c 'exec "$@"' sh "${a[@]}"); fi
            exec /usr/bin/env -i "${f[@]:2:n}" "${a[@]}"
          ) &
          pid=$!
          exec 5>&- 6>&-
          printf 'started %s\n' "$id" >&9
          wait "$pid"
          printf 'exited %s %s\n' "$id" $? >&9
          clean=0
          for round in {1..200}; do
            left=0
            for p in /proc/[0-9]*; do
              p=${p#/proc/}
              [ "$p" = 1 ] || [ "$p" = $$ ] && continue
              s=
              read -r s < "/proc/$p/stat" 2>/dev/null || continue
              s=${s##*) }
              left=1
              [ "${s%% *}" = Z ] || kill -9 "$p" 2>/dev/null
            done
            [ $left = 0 ] && { clean=1; break; }
            read -t 0.005 -u 7 _
          done
          mine
          [ "$state" = "$own" ] || clean=0
          if [ $clean = 1 ] && ! fresh; then
            /usr/bin/rm -rf -- /tmp/* /dev/shm/* /dev/mqueue/* 2>/dev/null
            /usr/bin/mkdir -p /tmp/home 2>/dev/null
            fresh || clean=0
          fi
          printf 'done %s %s\n' "$id" "$clean" >&9
        done
        """;
}
