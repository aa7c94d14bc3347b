from notifications.service import SERVICE

SERVICE.main()
