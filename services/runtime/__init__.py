"""The shared service runtime: one library every service and the gateway use.

settings (environment), gRPC server bootstrap, identity checks, database and
migrations, transactional outbox and relay, idempotent consumers, event
envelope, telemetry and logs. A service that needs something new extends this
package rather than copying code.
"""
