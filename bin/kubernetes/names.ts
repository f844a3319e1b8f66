// The names Kubernetes accepts: namespaces are DNS-1123 labels; objects (Secrets, custom
// resources, service accounts) DNS-1123 subdomains.
export const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const dnsSubdomain = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
