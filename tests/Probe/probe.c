/*
 * probe: attempts exactly one operation and reports the outcome on stdout.
 *   ok                      the operation succeeded          (exit 0)
 *   denied <errno> <text>   the kernel refused it            (exit 1)
 *   usage: ...              bad arguments                    (exit 2)
 * Written in C so that each attempt is one plain system call from a single-threaded process,
 * with no runtime of its own opening descriptors, starting threads or retrying behind our back.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef AF_PACKET
#define AF_PACKET 17
#endif

static int ok(void) { puts("ok"); return 0; }

static int denied(int err) { printf("denied %d %s\n", err, strerror(err)); return 1; }

int probe_ok(void) { return ok(); }
int probe_denied(int err) { return denied(err); }

/* probe_host.c */
int op_prlimit(pid_t pid);
int op_setpriority(pid_t pid);
int op_affinity(pid_t pid);
int op_ioprio(pid_t pid);
int op_shm_hold(const char *text);
int op_shm_read(int id);
int op_unix_dgram(const char *path);
int op_tcsetpgrp(void);
int op_stream_pair(void);

static int check(long result) { return result < 0 ? denied(errno) : ok(); }

static int usage(void) {
  fputs("usage: probe read|write|exec|listdir|truncate PATH | tcp|udp HOST:PORT [MESSAGE] | dns NAME HOST:PORT |\n"
        "       abstract NAME | abstract-serve NAME | kill PID SIG | kill-child SIG | ptrace PID | tiocsti | winsize | tcgetattr |\n"
        "       userns | io_uring | netlink | packet | mount DIR | prlimit|setpriority|affinity|ioprio PID |\n"
        "       shm-hold TEXT | shm-read ID | unix-dgram PATH | tcsetpgrp | stream-pair\n", stderr);
  return 2;
}

static int parse_address(const char *text, struct sockaddr_in *address) {
  char host[256];
  const char *colon = strrchr(text, ':');
  if (!colon || (size_t)(colon - text) >= sizeof host) return -1;
  memcpy(host, text, colon - text);
  host[colon - text] = 0;
  memset(address, 0, sizeof *address);
  address->sin_family = AF_INET;
  address->sin_port = htons((unsigned short)atoi(colon + 1));
  return inet_pton(AF_INET, host, &address->sin_addr) == 1 ? 0 : -1;
}

static int op_read(const char *path) {
  char byte;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return denied(errno);
  if (read(fd, &byte, 1) < 0) return denied(errno);
  return ok();
}

static int op_write(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return denied(errno);
  return check(write(fd, "x", 1));
}

static int op_exec(const char *path) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return denied(errno);
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {(char *)path, NULL};
    execv(path, argv);
    int err = errno;
    (void)!write(pipefd[1], &err, sizeof err);
    _exit(127);
  }
  close(pipefd[1]);
  int err = 0;
  ssize_t n = read(pipefd[0], &err, sizeof err);
  waitpid(pid, NULL, 0);
  return n == (ssize_t)sizeof err ? denied(err) : ok();
}

static int op_tcp(const char *target, const char *message) {
  struct sockaddr_in address;
  if (parse_address(target, &address) != 0) return usage();
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) return denied(errno);
  if (message && write(fd, message, strlen(message)) < 0) return denied(errno);
  return ok();
}

static int op_udp(const char *target, const char *message) {
  struct sockaddr_in address;
  if (parse_address(target, &address) != 0) return usage();
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  const char *payload = message ? message : "probe";
  return check(sendto(fd, payload, strlen(payload), 0, (struct sockaddr *)&address, sizeof address));
}

/* A DNS A query for NAME sent over UDP to the resolver at HOST:PORT; ok when an answer arrives. */
static int op_dns(const char *name, const char *server) {
  struct sockaddr_in address;
  if (parse_address(server, &address) != 0) return usage();
  unsigned char query[512] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
  size_t length = 12;
  for (const char *label = name; *label;) {
    const char *dot = strchr(label, '.');
    size_t size = dot ? (size_t)(dot - label) : strlen(label);
    if (size == 0 || size > 63 || length + size + 6 > sizeof query) return usage();
    query[length++] = (unsigned char)size;
    memcpy(query + length, label, size);
    length += size;
    label += size + (dot ? 1 : 0);
  }
  query[length++] = 0;
  query[length++] = 0; query[length++] = 1; /* QTYPE A */
  query[length++] = 0; query[length++] = 1; /* QCLASS IN */
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  struct timeval timeout = {3, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (sendto(fd, query, length, 0, (struct sockaddr *)&address, sizeof address) < 0) return denied(errno);
  unsigned char answer[512];
  ssize_t received = recv(fd, answer, sizeof answer, 0);
  if (received < 12) return denied(received < 0 ? errno : EPROTO);
  return answer[0] == 0x12 && answer[1] == 0x34 ? ok() : denied(EPROTO);
}

/* The address of abstract socket NAME (a leading NUL, no terminator); 0 when NAME is too long. */
static socklen_t abstract_address(const char *name, struct sockaddr_un *address) {
  size_t size = strlen(name);
  memset(address, 0, sizeof *address);
  address->sun_family = AF_UNIX;
  if (size + 1 > sizeof address->sun_path) return 0;
  memcpy(address->sun_path + 1, name, size);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + size);
}

static int op_abstract(const char *name) {
  struct sockaddr_un address;
  socklen_t length = abstract_address(name, &address);
  if (!length) return usage();
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  return check(connect(fd, (struct sockaddr *)&address, length));
}

/* Listens on abstract socket NAME and has a child process connect to it: both sides inside the
 * same sandbox. The child reports its errno through its exit status. */
static int op_abstract_serve(const char *name) {
  struct sockaddr_un address;
  socklen_t length = abstract_address(name, &address);
  if (!length) return usage();
  int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (server < 0) return denied(errno);
  if (bind(server, (struct sockaddr *)&address, length) != 0 || listen(server, 1) != 0) return denied(errno);
  pid_t pid = fork();
  if (pid < 0) return denied(errno);
  if (pid == 0) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    _exit(fd >= 0 && connect(fd, (struct sockaddr *)&address, length) == 0 ? 0 : errno);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  int err = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
  return err ? denied(err) : ok();
}

/* Starts a child of its own and sends it SIG; ok when the child died of that signal. */
static int op_kill_child(int sig) {
  pid_t pid = fork();
  if (pid < 0) return denied(errno);
  if (pid == 0) {
    alarm(10); /* never outlives a failed kill by long */
    pause();
    _exit(0);
  }
  int result = kill(pid, sig);
  int err = errno;
  int status = 0;
  waitpid(pid, &status, 0);
  if (result != 0) return denied(err);
  return WIFSIGNALED(status) && WTERMSIG(status) == sig ? ok() : denied(ESRCH);
}

static int op_unix(const char *path) {
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  if (strlen(path) + 1 > sizeof address.sun_path) return usage();
  strcpy(address.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  return check(connect(fd, (struct sockaddr *)&address, sizeof address));
}

static int op_ptrace(pid_t pid) {
  if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) != 0) return denied(errno);
  waitpid(pid, NULL, __WALL);
  ptrace(PTRACE_DETACH, pid, NULL, NULL);
  return ok();
}

static int op_io_uring(void) {
  struct io_uring_params params;
  memset(&params, 0, sizeof params);
  return check(syscall(__NR_io_uring_setup, 4, &params));
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  const char *op = argv[1];
  const char *a = argc > 2 ? argv[2] : NULL;
  const char *b = argc > 3 ? argv[3] : NULL;
  setvbuf(stdout, NULL, _IONBF, 0);

  if (!strcmp(op, "read") && a) return op_read(a);
  if (!strcmp(op, "write") && a) return op_write(a);
  if (!strcmp(op, "exec") && a) return op_exec(a);
  if (!strcmp(op, "listdir") && a) return check(open(a, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!strcmp(op, "truncate") && a) return check(truncate(a, 0));
  if (!strcmp(op, "tcp") && a) return op_tcp(a, b);
  if (!strcmp(op, "udp") && a) return op_udp(a, b);
  if (!strcmp(op, "dns") && a && b) return op_dns(a, b);
  if (!strcmp(op, "abstract") && a) return op_abstract(a);
  if (!strcmp(op, "abstract-serve") && a) return op_abstract_serve(a);
  if (!strcmp(op, "unix") && a) return op_unix(a);
  if (!strcmp(op, "kill") && a && b) return check(kill(atoi(a), atoi(b)));
  if (!strcmp(op, "kill-child") && a) return op_kill_child(atoi(a));
  if (!strcmp(op, "ptrace") && a) return op_ptrace(atoi(a));
  if (!strcmp(op, "tiocsti")) { char c = ' '; return check(ioctl(0, TIOCSTI, &c)); }
  if (!strcmp(op, "winsize")) { struct winsize size; return check(ioctl(0, TIOCGWINSZ, &size)); }
  if (!strcmp(op, "tcgetattr")) { struct termios mode; return check(tcgetattr(0, &mode)); }
  if (!strcmp(op, "userns")) return check(unshare(CLONE_NEWUSER));
  if (!strcmp(op, "io_uring")) return op_io_uring();
  if (!strcmp(op, "netlink")) return check(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!strcmp(op, "packet")) return check(socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!strcmp(op, "mount") && a) return check(mount("tmpfs", a, "tmpfs", 0, NULL));
  if (!strcmp(op, "prlimit") && a) return op_prlimit(atoi(a));
  if (!strcmp(op, "setpriority") && a) return op_setpriority(atoi(a));
  if (!strcmp(op, "affinity") && a) return op_affinity(atoi(a));
  if (!strcmp(op, "ioprio") && a) return op_ioprio(atoi(a));
  if (!strcmp(op, "shm-hold") && a) return op_shm_hold(a);
  if (!strcmp(op, "shm-read") && a) return op_shm_read(atoi(a));
  if (!strcmp(op, "unix-dgram") && a) return op_unix_dgram(a);
  if (!strcmp(op, "tcsetpgrp")) return op_tcsetpgrp();
  if (!strcmp(op, "stream-pair")) return op_stream_pair();
  return usage();
}
