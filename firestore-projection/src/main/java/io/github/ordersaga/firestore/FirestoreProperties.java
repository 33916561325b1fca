package io.github.ordersaga.firestore;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Firestore is. Named like spring-cloud-gcp's own Firestore properties, which GCP users know; the
 * {@code FIRESTORE_EMULATOR_HOST} variable works too.
 */
@ConfigurationProperties("spring.cloud.gcp.firestore")
public class FirestoreProperties {

    /** {@code host:port} of the Firestore emulator; empty for Google Cloud. */
    private String emulatorHost;
    /** Project id; defaults to {@code spring.cloud.gcp.project-id}. */
    private String projectId;
    /** Firestore database id. */
    private String databaseId = "(default)";

    public String getEmulatorHost() { return emulatorHost; }
    public void setEmulatorHost(String emulatorHost) { this.emulatorHost = emulatorHost; }
    public String getProjectId() { return projectId; }
    public void setProjectId(String projectId) { this.projectId = projectId; }
    public String getDatabaseId() { return databaseId; }
    public void setDatabaseId(String databaseId) { this.databaseId = databaseId; }
}
