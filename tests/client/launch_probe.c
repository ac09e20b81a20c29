/*
 * launch_probe.c - the "application" test_session_invite registers for
 * Session Invite. libmsgr starts it when an invitation is accepted; it
 * appends one line to the file named by MSGR_PROBE_OUT and exits:
 *
 *   <MSGR_SESSION_ID> <MSGR_LAUNCHER_PID> <own pid> <argc> <argv[0]> <stdio>
 *   <leader>
 *
 * where <stdio> is "null" when standard input, output and error are all
 * /dev/null's character device, and <leader> "leader" when the probe
 * leads a session of its own. A missing variable is written as "-".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *env_or_dash(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : "-";
}

static const char *stdio_kind(void)
{
    struct stat st, null;
    if (stat("/dev/null", &null) != 0)
        return "closed";
    for (int fd = 0; fd <= 2; fd++) {
        if (fstat(fd, &st) != 0)
            return "closed";
        if (st.st_rdev != null.st_rdev || !S_ISCHR(st.st_mode))
            return "other";
    }
    return "null";
}

int main(int argc, char **argv)
{
    const char *out = getenv("MSGR_PROBE_OUT");
    char line[1024];
    if (!out || !*out)
        return 2;
    int n = snprintf(line, sizeof line, "%s %s %ld %d %s %s %s\n",
                     env_or_dash("MSGR_SESSION_ID"), env_or_dash("MSGR_LAUNCHER_PID"),
                     (long)getpid(), argc, argc > 0 ? argv[0] : "-", stdio_kind(),
                     getsid(0) == getpid() ? "leader" : "member");
    if (n <= 0 || (size_t)n >= sizeof line)
        return 3;
    /* One write with O_APPEND: lines of two probes never interleave. */
    int fd = open(out, O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0)
        return 4;
    ssize_t w = write(fd, line, (size_t)n);
    close(fd);
    return w == n ? 0 : 5;
}
