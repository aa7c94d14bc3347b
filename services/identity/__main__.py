from identity.service import SERVICE

SERVICE.main()
