//! The JSON names of the fields of the messages served through [`super::wire`]: Service,
//! Deployment, Lease, core and events.k8s.io Event, Pod, and the messages inside them.
//! Fields listed `unmapped` are refused when set (see `wire`); the README lists them.

use k8s_pb::api::apps::v1 as apps;
use k8s_pb::api::coordination::v1 as coordination;
use k8s_pb::api::core::v1 as core;
use k8s_pb::api::events::v1 as events;
use k8s_pb::apimachinery::pkg::apis::meta::v1 as meta;

use super::wire::message;

// ---------------------------------------------------------------- Service

message!(core::Service {
    metadata: "metadata",
    spec: "spec",
    status: "status"
});
message!(core::ServiceSpec {
    ports: "ports",
    selector: "selector",
    cluster_ip: "clusterIP",
    cluster_ips: "clusterIPs",
    r#type: "type",
    external_ips: "externalIPs",
    session_affinity: "sessionAffinity",
    load_balancer_ip: "loadBalancerIP",
    load_balancer_source_ranges: "loadBalancerSourceRanges",
    external_name: "externalName",
    external_traffic_policy: "externalTrafficPolicy",
    health_check_node_port: "healthCheckNodePort",
    publish_not_ready_addresses: "publishNotReadyAddresses",
    ip_families: "ipFamilies",
    ip_family_policy: "ipFamilyPolicy",
    allocate_load_balancer_node_ports: "allocateLoadBalancerNodePorts" keep,
    load_balancer_class: "loadBalancerClass",
    internal_traffic_policy: "internalTrafficPolicy",
    traffic_distribution: "trafficDistribution",
    session_affinity_config: "sessionAffinityConfig",
});
message!(core::SessionAffinityConfig {
    client_ip: "clientIP"
});
message!(core::ClientIpConfig { timeout_seconds: "timeoutSeconds" keep });
message!(core::ServicePort {
    name: "name",
    protocol: "protocol",
    app_protocol: "appProtocol",
    port: "port",
    target_port: "targetPort",
    node_port: "nodePort",
});
message!(core::ServiceStatus {
    load_balancer: "loadBalancer",
    conditions: "conditions"
});
message!(core::LoadBalancerStatus { ingress: "ingress" });
message!(core::LoadBalancerIngress {
    ip: "ip",
    hostname: "hostname",
    ip_mode: "ipMode",
    ports: "ports",
});
message!(core::PortStatus {
    port: "port",
    protocol: "protocol",
    error: "error"
});
message!(meta::Condition {
    r#type: "type",
    status: "status",
    observed_generation: "observedGeneration",
    last_transition_time: "lastTransitionTime",
    reason: "reason",
    message: "message",
});

// ---------------------------------------------------------------- Deployment

message!(apps::Deployment {
    metadata: "metadata",
    spec: "spec",
    status: "status"
});
message!(apps::DeploymentSpec {
    replicas: "replicas" keep,
    selector: "selector",
    template: "template",
    strategy: "strategy",
    min_ready_seconds: "minReadySeconds",
    revision_history_limit: "revisionHistoryLimit" keep,
    paused: "paused",
    progress_deadline_seconds: "progressDeadlineSeconds" keep,
});
message!(apps::DeploymentStrategy {
    r#type: "type",
    rolling_update: "rollingUpdate"
});
message!(apps::RollingUpdateDeployment {
    max_unavailable: "maxUnavailable",
    max_surge: "maxSurge",
});
message!(apps::DeploymentStatus {
    observed_generation: "observedGeneration",
    replicas: "replicas",
    updated_replicas: "updatedReplicas",
    ready_replicas: "readyReplicas",
    available_replicas: "availableReplicas",
    unavailable_replicas: "unavailableReplicas",
    terminating_replicas: "terminatingReplicas" keep,
    conditions: "conditions",
    collision_count: "collisionCount" keep,
});
message!(apps::DeploymentCondition {
    r#type: "type",
    status: "status",
    last_update_time: "lastUpdateTime",
    last_transition_time: "lastTransitionTime",
    reason: "reason",
    message: "message",
});

// ---------------------------------------------------------------- Pod (and templates)

message!(core::Pod {
    metadata: "metadata",
    spec: "spec",
    status: "status"
});
message!(core::PodTemplateSpec {
    metadata: "metadata",
    spec: "spec"
});
message!(core::PodSpec {
    init_containers: "initContainers",
    containers: "containers",
    restart_policy: "restartPolicy",
    termination_grace_period_seconds: "terminationGracePeriodSeconds" keep,
    active_deadline_seconds: "activeDeadlineSeconds" keep,
    dns_policy: "dnsPolicy",
    node_selector: "nodeSelector",
    service_account_name: "serviceAccountName",
    service_account: "serviceAccount",
    automount_service_account_token: "automountServiceAccountToken" keep,
    node_name: "nodeName",
    host_network: "hostNetwork",
    host_pid: "hostPID",
    host_ipc: "hostIPC",
    share_process_namespace: "shareProcessNamespace" keep,
    image_pull_secrets: "imagePullSecrets",
    hostname: "hostname",
    subdomain: "subdomain",
    scheduler_name: "schedulerName",
    priority_class_name: "priorityClassName",
    priority: "priority" keep,
    runtime_class_name: "runtimeClassName",
    enable_service_links: "enableServiceLinks" keep,
    preemption_policy: "preemptionPolicy",
    set_hostname_as_fqdn: "setHostnameAsFQDN" keep,
    host_users: "hostUsers" keep,
} unmapped {
    volumes, ephemeral_containers, security_context, affinity, tolerations, host_aliases,
    dns_config, readiness_gates, overhead, topology_spread_constraints, os, scheduling_gates,
    resource_claims, resources, hostname_override, workload_ref,
});
message!(core::Container {
    name: "name",
    image: "image",
    command: "command",
    args: "args",
    working_dir: "workingDir",
    ports: "ports",
    env: "env",
    resources: "resources",
    restart_policy: "restartPolicy",
    termination_message_path: "terminationMessagePath",
    termination_message_policy: "terminationMessagePolicy",
    image_pull_policy: "imagePullPolicy",
    stdin: "stdin",
    stdin_once: "stdinOnce",
    tty: "tty",
} unmapped {
    env_from, resize_policy, restart_policy_rules, volume_mounts, volume_devices,
    liveness_probe, readiness_probe, startup_probe, lifecycle, security_context,
});
message!(core::ContainerPort {
    name: "name",
    host_port: "hostPort",
    container_port: "containerPort",
    protocol: "protocol",
    host_ip: "hostIP",
});
message!(core::EnvVar { name: "name", value: "value" } unmapped { value_from });
message!(core::ResourceRequirements { limits: "limits", requests: "requests" } unmapped { claims });
message!(core::LocalObjectReference { name: "name" });
message!(core::PodStatus {
    observed_generation: "observedGeneration",
    phase: "phase",
    conditions: "conditions",
    message: "message",
    reason: "reason",
    nominated_node_name: "nominatedNodeName",
    host_ip: "hostIP",
    host_ips: "hostIPs",
    pod_ip: "podIP",
    pod_ips: "podIPs",
    start_time: "startTime",
    qos_class: "qosClass",
    resize: "resize",
} unmapped {
    init_container_statuses, container_statuses, ephemeral_container_statuses,
    resource_claim_statuses, extended_resource_claim_status, allocated_resources, resources,
});
message!(core::PodCondition {
    r#type: "type",
    observed_generation: "observedGeneration",
    status: "status",
    last_probe_time: "lastProbeTime",
    last_transition_time: "lastTransitionTime",
    reason: "reason",
    message: "message",
});
message!(core::HostIp { ip: "ip" });
message!(core::PodIp { ip: "ip" });

// ---------------------------------------------------------------- Lease

message!(coordination::Lease {
    metadata: "metadata",
    spec: "spec"
});
message!(coordination::LeaseSpec {
    holder_identity: "holderIdentity",
    lease_duration_seconds: "leaseDurationSeconds" keep,
    acquire_time: "acquireTime",
    renew_time: "renewTime",
    lease_transitions: "leaseTransitions" keep,
    strategy: "strategy",
    preferred_holder: "preferredHolder",
});

// ---------------------------------------------------------------- Events

message!(core::Event {
    metadata: "metadata",
    involved_object: "involvedObject",
    reason: "reason",
    message: "message",
    source: "source",
    first_timestamp: "firstTimestamp",
    last_timestamp: "lastTimestamp",
    count: "count",
    r#type: "type",
    event_time: "eventTime",
    series: "series",
    action: "action",
    related: "related",
    reporting_component: "reportingComponent",
    reporting_instance: "reportingInstance",
});
message!(core::EventSource {
    component: "component",
    host: "host"
});
message!(core::EventSeries {
    count: "count",
    last_observed_time: "lastObservedTime"
});
message!(core::ObjectReference {
    kind: "kind",
    namespace: "namespace",
    name: "name",
    uid: "uid",
    api_version: "apiVersion",
    resource_version: "resourceVersion",
    field_path: "fieldPath",
});
message!(events::Event {
    metadata: "metadata",
    event_time: "eventTime",
    series: "series",
    reporting_controller: "reportingController",
    reporting_instance: "reportingInstance",
    action: "action",
    reason: "reason",
    regarding: "regarding",
    related: "related",
    note: "note",
    r#type: "type",
    deprecated_source: "deprecatedSource",
    deprecated_first_timestamp: "deprecatedFirstTimestamp",
    deprecated_last_timestamp: "deprecatedLastTimestamp",
    deprecated_count: "deprecatedCount",
});
message!(events::EventSeries {
    count: "count",
    last_observed_time: "lastObservedTime"
});
