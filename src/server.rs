//! Assembling a running server: storage, core, federation, delivery, HTTP.

use crate::{
    api::{
        self,
        mastodon::streaming::hub::{Hub, PgBus},
    },
    config::Settings,
    core::{boards::Boards, ids::IdGen, uris::Uris, Core},
    db::{migrations, Backend, Db},
    federation::{
        self,
        delivery::{worker::Worker, Outbox},
        directory::Directory,
        egress::Egress,
        http_client,
    },
    files::LocalFiles,
    throttle::Throttle,
    web::static_files,
};
use activitypub_federation::config::FederationMiddleware;
use actix_web::{middleware::NormalizePath, web, App, HttpResponse, HttpServer};
use std::{sync::Arc, time::Duration};
use tokio::sync::{watch, Notify};

/// The core with its federation ports, ready for the CLI or the server.
pub struct Parts {
    pub core: Core,
    pub directory: Arc<Directory>,
    pub signal: Arc<Notify>,
    pub egress: Egress,
}

/// Open the database (migrating it) and build the core.
pub fn build(settings: Settings) -> Result<Parts, String> {
    let settings = Arc::new(settings);
    let db = Db::connect(&settings.database_url, settings.database.pool_size)?;
    let applied = migrations::run(&db)?;
    if !applied.is_empty() {
        tracing::info!("applied migrations: {}", applied.join(", "));
    }
    // One id generator for the process; with PostgreSQL, a process number
    // of its own so that app processes sharing the database never collide.
    let ids = Arc::new(match db.process_number()? {
        Some(n) => IdGen::for_process(n),
        None => IdGen::default(),
    });
    let egress = http_client::build(&settings);
    let signal = Arc::new(Notify::new());
    let outbox = Arc::new(Outbox::new(
        Uris::new(&settings.base_url()),
        settings.federation.clone(),
        ids.clone(),
        signal.clone(),
    ));
    let directory = Arc::new(Directory::new(egress.clone()));
    let files = Arc::new(LocalFiles::new(settings.data_dir.join("files")));
    let core = Core::new(
        db,
        ids,
        settings,
        outbox,
        directory.clone(),
        files,
        Arc::new(Boards),
    );
    Ok(Parts {
        core,
        directory,
        signal,
        egress,
    })
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({"error": "Not found"}))
}

/// Serve until SIGINT or SIGTERM; then stop accepting, finish requests in
/// flight (up to 30 s) and stop the delivery worker and the inbox's retries
/// (queued work stays queued).
pub async fn serve(settings: Settings) -> Result<(), String> {
    let parts = build(settings)?;
    let core = parts.core.clone();
    core.check_domain().await.map_err(|e| e.to_string())?;
    let settings = core.settings().clone();
    let fed = federation::config(&core, &parts.egress).await?;
    parts.directory.set_config(fed.clone());

    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(
        Worker::new(core.clone(), parts.egress.clone(), parts.signal.clone()).run(stop_rx.clone()),
    );
    let inbox_retries = tokio::spawn(federation::inbox::retries::run(fed.clone(), stop_rx));
    let poll_closer = {
        let core = core.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = core.close_ended_polls().await {
                    tracing::warn!("closing polls: {e}");
                }
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        })
    };
    let housekeeping = {
        let core = core.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = core.housekeeping().await {
                    tracing::warn!("housekeeping: {e}");
                }
                if let Err(e) = core.tidy_media().await {
                    tracing::warn!("tidying media: {e}");
                }
                if let Err(e) = core.trim_home_feeds().await {
                    tracing::warn!("trimming home feeds: {e}");
                }
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
        })
    };

    let hub = Hub::new(core.clone());
    match core.db().backend() {
        Backend::Sqlite => core.set_event_bus(Arc::new(hub.clone())),
        Backend::Postgres => {
            core.set_event_bus(Arc::new(PgBus::new(core.db().clone())));
            PgBus::listen(settings.database_url.clone(), hub.clone());
        }
    }
    let hub = web::Data::new(hub);

    let throttle = Throttle::new(&settings.limits, settings.trusted_proxies.clone());
    let inbox_max = settings.federation.inbox_max_bytes;
    let body_max = settings.limits.api_body_max_bytes;
    let data = web::Data::new(core.clone());
    let server = HttpServer::new(move || {
        App::new()
            .wrap(FederationMiddleware::new(fed.clone()))
            .wrap(throttle.clone())
            .wrap(NormalizePath::trim())
            .app_data(data.clone())
            .app_data(hub.clone())
            .app_data(web::PayloadConfig::new(body_max))
            .configure(api::configure)
            .configure(|cfg| federation::routes::configure(cfg, inbox_max))
            .route("/static/{name}", web::get().to(static_files::file))
            .route("/system/{key:.+}", web::get().to(crate::web::files::file))
            .default_service(web::to(not_found))
    })
    .bind(settings.bind)
    .map_err(|e| format!("bind: cannot listen on {}: {e}", settings.bind))?
    .shutdown_timeout(30)
    .run();
    tracing::info!(
        "Staffroom {} serving {} on {} ({:?})",
        env!("CARGO_PKG_VERSION"),
        settings.base_url(),
        settings.bind,
        if core.db().backend() == Backend::Sqlite {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    let result = server.await.map_err(|e| e.to_string());
    let _ = stop_tx.send(true);
    housekeeping.abort();
    poll_closer.abort();
    let _ = tokio::time::timeout(Duration::from_secs(5), worker).await;
    let _ = tokio::time::timeout(Duration::from_secs(5), inbox_retries).await;
    result
}
