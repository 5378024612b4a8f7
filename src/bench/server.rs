//! The server under test: this binary's `serve` as a child process with its
//! own settings, watched through `/proc/<pid>/` (memory, CPU time) and
//! killed when the bench ends, also on an error or a panic (`Drop`), and by
//! the kernel if the bench itself dies (`PR_SET_PDEATHSIG`).

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct Server {
    child: Option<Child>,
    pid: u32,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    log: PathBuf,
}

/// Memory and CPU of the server process at one moment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// Resident memory now (VmRSS), in MiB.
    pub rss_mb: f64,
    /// The most resident memory so far (VmHWM), in MiB.
    pub peak_mb: f64,
    /// User and system CPU time so far, in seconds.
    pub cpu_seconds: f64,
}

impl Server {
    /// Start `<this binary> serve` with exactly the `STAFFROOM_*` settings
    /// given (others in the environment are removed), output to `log`.
    ///
    /// Call it on a thread that lives as long as the bench (the main
    /// thread): the child is killed when the thread that spawned it ends.
    pub fn spawn(env: &[(String, String)], port: u16, log: &Path) -> Result<Server, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
        let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(exe);
        cmd.arg("serve");
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("STAFFROOM_")) {
            cmd.env_remove(k);
        }
        cmd.envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; nothing else runs between
            // fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        Ok(Server {
            pid: child.id(),
            child: Some(child),
            base: format!("http://127.0.0.1:{port}"),
            log: log.to_path_buf(),
        })
    }

    /// Poll `/api/v1/instance` until it answers 200; the time it took from
    /// now. Fails if the process ends first or after `timeout`.
    pub async fn wait_ready(
        &mut self,
        client: &reqwest::Client,
        started: Instant,
        timeout: Duration,
    ) -> Result<Duration, String> {
        let url = format!("{}/api/v1/instance", self.base);
        loop {
            self.check_running()?;
            if let Ok(r) = client.get(&url).send().await {
                if r.status().is_success() {
                    return Ok(started.elapsed());
                }
            }
            if started.elapsed() > timeout {
                return Err(format!(
                    "the server did not answer within {timeout:?}{}",
                    self.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// An error (with the end of the server's log) if the server stopped.
    pub fn check_running(&mut self) -> Result<(), String> {
        let exited = match self.child.as_mut() {
            Some(c) => c.try_wait().map_err(|e| e.to_string())?,
            None => return Err("the server was stopped".into()),
        };
        match exited {
            None => Ok(()),
            Some(status) => Err(format!("the server exited ({status}){}", self.log_tail())),
        }
    }

    pub fn usage(&self) -> Result<Usage, String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .map_err(|e| format!("reading the server's memory: {e}"))?;
        let kb = |field: &str| -> f64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
            .map_err(|e| format!("reading the server's CPU time: {e}"))?;
        // Fields after the command name (which may hold spaces) in parentheses.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after `)`.
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        Ok(Usage {
            rss_mb: kb("VmRSS:") / 1024.0,
            peak_mb: kb("VmHWM:") / 1024.0,
            cpu_seconds: (ticks(11) + ticks(12)) / hz,
        })
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        format!(
            "\n--- end of the server's log ({}) ---\n{tail}",
            self.log.display()
        )
    }

    /// Kill the server and wait for it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port free on loopback now.
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}
