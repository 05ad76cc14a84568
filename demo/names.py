"""Names for the demo: common in West Java (Sundanese and general Indonesian)."""

WOMEN = [
    "Ani", "Siti", "Euis", "Neneng", "Yati", "Dedeh", "Imas", "Cucu", "Popon", "Entin",
    "Nining", "Rina", "Tati", "Iis", "Yuyun", "Lilis", "Nurhayati", "Ai", "Enok", "Wati",
    "Sri", "Dewi", "Rosina", "Titin", "Oneng", "Eti", "Kokom", "Mimin", "Yeni", "Rohaeti",
]
MEN = [
    "Asep", "Ujang", "Dadang", "Cecep", "Ade", "Deden", "Jajang", "Ujang", "Engkus", "Didin",
    "Iwan", "Agus", "Dede", "Yayat", "Ayi", "Rahmat", "Oman", "Endang", "Aep", "Nana",
    "Wawan", "Encep", "Dudi", "Usep", "Maman", "Kusnadi", "Suryana", "Hendra", "Tatang", "Atang",
]
FAMILY = [
    "Suryadi", "Rohmat", "Hidayat", "Kurniawan", "Sopandi", "Saepudin", "Mulyana", "Sukmana",
    "Permana", "Nugraha", "Hermawan", "Setiawan", "Rusmana", "Supriatna", "Gunawan", "Hamdani",
    "Solihin", "Kusmana", "Wijaya", "Ruhiyat", "Sunarya", "Sulaeman", "Darmawan", "Komarudin",
]
GROUP_WORDS = [
    "Maju Sejahtera", "Mekar Jaya", "Sauyunan", "Harapan Bersama", "Berkah Mandiri", "Sinar Tani",
    "Sugih Mukti", "Rukun Makmur", "Mitra Usaha", "Tunas Harapan", "Cempaka", "Melati",
    "Sekar Wangi", "Silih Asih", "Karya Bakti", "Bina Warga", "Tulip", "Anggrek", "Srikandi",
    "Padasuka",
]
STREETS = ["Jl. Cikutra", "Jl. Raya Cimenyan", "Gg. Mawar", "Jl. Padasuka", "Kp. Cibeunying",
           "Jl. Sukamulya", "Kp. Babakan", "Jl. Sindangbarang", "Gg. Kenanga", "Jl. Loji"]
SKILLS = ["berdagang", "menjahit", "beternak domba", "membuat kue", "bertani sayur",
          "membuat keripik", "menganyam bambu", "pembukuan sederhana", "memasak", "ojek"]
TASKS = ["Belanja stok", "Penjualan", "Pencatatan stok", "Pemasaran", "Pengantaran",
         "Perawatan ternak", "Produksi", "Humas", "Pengumpul iuran", ""]
