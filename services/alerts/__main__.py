from alerts.service import SERVICE

SERVICE.main()
